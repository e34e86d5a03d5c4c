import { checkHealth } from '../../admin/health';
import { adminRoute } from '../../admin/routes/admin-route';
import { twilioClients } from '../../twilio/clients';

/** POST /admin/health: configuration summary (secrets masked) and whether the main account answers. */
export const handler = adminRoute('/admin/health', async ({ config }) => {
  const report = await checkHealth(config, twilioClients(config));
  return report.status === 'ok' ? { status: 200, body: report } : { status: 503, body: report };
});
