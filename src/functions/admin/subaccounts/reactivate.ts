import { adminDeps } from '../../../admin/deps';
import { reactivateSubaccount } from '../../../admin/subaccounts/reactivate';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminRoute } from '../../../http/admin-route';

/** POST /admin/subaccounts/reactivate: a suspended subaccount becomes active again. */
export const handler = adminRoute('/admin/subaccounts/reactivate', async ({ config, parameters }) => ({
  status: 200,
  body: {
    subaccount: subaccountView(await reactivateSubaccount(adminDeps(config), parameters.subaccountSid)),
  },
}));
