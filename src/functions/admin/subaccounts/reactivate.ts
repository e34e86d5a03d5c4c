import { refuseConnectedAccounts } from '../../../admin/accounts/connected-account';
import { adminDeps } from '../../../admin/deps';
import { reactivateSubaccount } from '../../../admin/subaccounts/reactivate';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminRoute } from '../../../admin/routes/admin-route';
import { TENANT_MAX_AGE_MS } from '../../../registry/tenant-cache';

/**
 * POST /admin/subaccounts/reactivate: a suspended subaccount becomes active again, on every instance
 * once its tenant cache has read the change.
 */
export const handler = adminRoute('/admin/subaccounts/reactivate', async ({ config, parameters }) => {
  const deps = adminDeps(config);
  await refuseConnectedAccounts(deps, [parameters.subaccountSid], 'reactivating it');
  return {
    status: 200,
    body: {
      subaccount: subaccountView(await reactivateSubaccount(deps, parameters.subaccountSid)),
      settlesWithinSeconds: Math.ceil(TENANT_MAX_AGE_MS / 1000),
    },
  };
});
