import { updateCredentials } from '../../../admin/accounts/update-credentials';
import { adminDeps } from '../../../admin/deps';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/accounts/update-credentials: a connected account's new auth token, checked, then kept. */
export const handler = adminRoute('/admin/accounts/update-credentials', async ({ config, parameters }) => {
  const { stored, settlesWithinSeconds } = await updateCredentials(adminDeps(config), parameters);
  return { status: 200, body: { account: subaccountView(stored), settlesWithinSeconds } };
});
