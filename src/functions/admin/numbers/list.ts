import { adminDeps } from '../../../admin/deps';
import { listNumbers } from '../../../admin/numbers/list';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/numbers/list: numbers of the main account or of one subaccount, a page at a time. */
export const handler = adminRoute('/admin/numbers/list', async ({ config, parameters }) => ({
  status: 200,
  body: await listNumbers(adminDeps(config), parameters),
}));
