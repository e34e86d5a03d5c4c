import type { ServiceConfig } from '../config/config';
import { maskSecret } from '../log/logger';
import type { TwilioClients } from '../twilio/clients';
import { fromTwilioError } from '../twilio/rest-errors';
import type { HealthReport } from './answers';

/** The configuration an operator needs to check a deployment, with every secret masked. */
export function configSummary(config: ServiceConfig): HealthReport['config'] {
  return {
    accountSid: config.accountSid,
    authToken: maskSecret(config.authToken),
    publicBaseUrl: config.publicBaseUrl,
    voiceUrl: `${config.publicBaseUrl}/voice`,
    adminApiKeys: config.adminApiKeys.map(maskSecret),
    tokenTicketSecret: maskSecret(config.tokenTicketSecret),
    registryEncryptionKey: `set (${config.registryEncryptionKey.length * 8}-bit)`,
    syncServiceSid: config.syncServiceSid,
    allowedOrigins: [...config.allowedOrigins],
    twilioApi: config.twilioApiBaseUrl ?? 'https://*.twilio.com',
  };
}

/** Whether the main account answers with the configured credentials, and how fast. */
export async function checkHealth(config: ServiceConfig, clients: TwilioClients): Promise<HealthReport> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const account = await clients.main().api.v2010.accounts(config.accountSid).fetch();
    return {
      status: account.status === 'active' ? 'ok' : 'degraded',
      config: configSummary(config),
      mainAccount: {
        reachable: true,
        sid: account.sid,
        status: account.status,
        friendlyName: account.friendlyName,
        latencyMs: elapsed(),
      },
    };
  } catch (error) {
    const { code, message } = fromTwilioError(error, 'Fetching the main account');
    return {
      status: 'degraded',
      config: configSummary(config),
      mainAccount: { reachable: false, error: { code, message }, latencyMs: elapsed() },
    };
  }
}
