import { adminDeps } from '../../../admin/deps';
import { deleteRecording } from '../../../admin/recordings/delete';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/recordings/delete: deletes a recording on Twilio; idempotent. */
export const handler = adminRoute('/admin/recordings/delete', async ({ config, parameters }) => ({
  status: 200,
  body: await deleteRecording(adminDeps(config), parameters),
}));
