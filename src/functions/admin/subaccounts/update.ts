import { adminDeps } from '../../../admin/deps';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { updateSubaccount } from '../../../admin/subaccounts/update';
import { adminRoute } from '../../../http/admin-route';

/** POST /admin/subaccounts/update: name, caller ID, inbound routing, recording, dialling prefixes. */
export const handler = adminRoute('/admin/subaccounts/update', async ({ config, parameters }) => ({
  status: 200,
  body: { subaccount: subaccountView(await updateSubaccount(adminDeps(config), parameters)) },
}));
