import { adminDeps } from '../../../admin/deps';
import { getSubaccount, subaccountParameters } from '../../../admin/subaccounts/get';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/** POST /admin/subaccounts/get: the registry item and Twilio's live state of one subaccount. */
export const handler = adminFunction('admin/subaccounts/get', async ({ config, event }) => {
  const { subaccountSid } = parseParameters(subaccountParameters, event);
  return { body: await getSubaccount(adminDeps(config), subaccountSid) };
});
