import { checkHealth } from '../../admin/health';
import { adminFunction } from '../../http/json-function';
import { twilioClients } from '../../twilio/clients';

/** POST /admin/health: configuration summary (secrets masked) and whether the main account answers. */
export const handler = adminFunction('admin/health', async ({ config }) => {
  const report = await checkHealth(config, twilioClients(config));
  return { status: report.status === 'ok' ? 200 : 503, body: report };
});
