import { listCalls } from '../../../admin/calls/list';
import { adminDeps } from '../../../admin/deps';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/calls/list: a page of a subaccount's calls with price, duration and recording SIDs. */
export const handler = adminRoute('/admin/calls/list', async ({ config, parameters }) => ({
  status: 200,
  body: await listCalls(adminDeps(config), parameters),
}));
