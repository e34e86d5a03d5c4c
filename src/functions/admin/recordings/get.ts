import { adminDeps } from '../../../admin/deps';
import { getRecording } from '../../../admin/recordings/get';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/recordings/get: a recording and a signed link that plays it. */
export const handler = adminRoute('/admin/recordings/get', async ({ config, parameters }) => ({
  status: 200,
  body: await getRecording(adminDeps(config), parameters),
}));
