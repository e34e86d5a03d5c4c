import { adminDeps } from '../../../admin/deps';
import { getSubaccount } from '../../../admin/subaccounts/get';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/subaccounts/get: the registry item and Twilio's live state of one subaccount. */
export const handler = adminRoute('/admin/subaccounts/get', async ({ config, parameters }) => ({
  status: 200,
  body: await getSubaccount(adminDeps(config), parameters.subaccountSid),
}));
