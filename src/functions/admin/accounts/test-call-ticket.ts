import { testCallTicket } from '../../../admin/accounts/test-call-ticket';
import { adminDeps } from '../../../admin/deps';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/accounts/test-call-ticket: a short ticket for a test call in the tenant's softphone. */
export const handler = adminRoute('/admin/accounts/test-call-ticket', async ({ config, parameters }) => ({
  status: 200,
  body: await testCallTicket(adminDeps(config), parameters),
}));
