import { adminDeps } from '../../../admin/deps';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { updateSubaccount } from '../../../admin/subaccounts/update';
import { adminRoute } from '../../../admin/routes/admin-route';
import { TENANT_MAX_AGE_MS } from '../../../registry/tenant-cache';

/**
 * POST /admin/subaccounts/update: name, caller ID, inbound routing, recording, calling policy; in force
 * on every instance once its tenant cache has read the change.
 */
export const handler = adminRoute('/admin/subaccounts/update', async ({ config, parameters }) => ({
  status: 200,
  body: {
    subaccount: subaccountView(await updateSubaccount(adminDeps(config), parameters)),
    settlesWithinSeconds: Math.ceil(TENANT_MAX_AGE_MS / 1000),
  },
}));
