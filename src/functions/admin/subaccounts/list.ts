import { adminDeps } from '../../../admin/deps';
import { listSubaccounts } from '../../../admin/subaccounts/list';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/subaccounts/list: registry items by status and name, a page at a time. */
export const handler = adminRoute('/admin/subaccounts/list', async ({ config, parameters }) => ({
  status: 200,
  body: await listSubaccounts(adminDeps(config), parameters),
}));
