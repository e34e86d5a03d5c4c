import { adminDeps } from '../../../admin/deps';
import { subaccountParameters } from '../../../admin/subaccounts/get';
import { reactivateSubaccount } from '../../../admin/subaccounts/reactivate';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/** POST /admin/subaccounts/reactivate: a suspended subaccount becomes active again. */
export const handler = adminFunction('admin/subaccounts/reactivate', async ({ config, event }) => {
  const { subaccountSid } = parseParameters(subaccountParameters, event);
  return {
    body: { subaccount: subaccountView(await reactivateSubaccount(adminDeps(config), subaccountSid)) },
  };
});
