import { adminDeps } from '../../../admin/deps';
import { redeliverEvents } from '../../../events/redeliver';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/events/redeliver: kept events sent again; what was delivered and what is still pending. */
export const handler = adminRoute('/admin/events/redeliver', async ({ config, parameters }) => ({
  status: 200,
  body: await redeliverEvents(adminDeps(config), parameters),
}));
