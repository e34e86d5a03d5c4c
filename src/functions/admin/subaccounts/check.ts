import { adminDeps } from '../../../admin/deps';
import { checkParameters, checkSubaccount } from '../../../admin/subaccounts/check';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/** POST /admin/subaccounts/check: registry against Twilio, every drift listed; `repair: true` fixes them. */
export const handler = adminFunction('admin/subaccounts/check', async ({ config, event }) => {
  const { subaccountSid, repair } = parseParameters(checkParameters, event);
  const { drift, stored } = await checkSubaccount(adminDeps(config), subaccountSid, repair);
  return { body: { subaccount: subaccountView(stored), inStep: drift.length === 0, drift } };
});
