import { adminDeps } from '../../../admin/deps';
import { listRecordings } from '../../../admin/recordings/list';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/recordings/list: a page of a subaccount's recordings and voicemail. */
export const handler = adminRoute('/admin/recordings/list', async ({ config, parameters }) => ({
  status: 200,
  body: await listRecordings(adminDeps(config), parameters),
}));
