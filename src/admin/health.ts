import type { ServiceConfig } from '../config/config';
import type { TwilioClients } from '../twilio/clients';
import { fromTwilioError } from '../twilio/rest-errors';
import type { HealthReport } from './answers';

/**
 * What the report says of a secret: the shape its variable requires. Never any of its characters, not
 * even the last few: with its length they narrow a guess, and the answer ends up in terminals, tickets
 * and screenshots. A report exists only once the configuration has been validated (a missing or
 * malformed secret fails every function with a 500 naming the variable), so every secret it describes
 * is there and has that shape.
 */
type SecretState = HealthReport['config']['authToken'];

const secretState = (shape: string): SecretState => ({ shape });

/** Where events go: the URL's origin and path, never its query (a receiver's token may be there). */
function eventsState(config: ServiceConfig): HealthReport['config']['events'] {
  if (!config.eventsWebhookUrl) return { configured: false };
  const url = new URL(config.eventsWebhookUrl);
  return { configured: true, url: `${url.origin}${url.pathname}` };
}

/** The configuration an operator needs to check a deployment; of the secrets, only their state. */
export function configSummary(config: ServiceConfig): HealthReport['config'] {
  return {
    accountSid: config.accountSid,
    authToken: secretState('32 hex characters'),
    publicBaseUrl: config.publicBaseUrl,
    voiceUrl: `${config.publicBaseUrl}/voice`,
    adminApiKeys: {
      ...secretState('each at least 32 characters'),
      count: config.adminApiKeys.length,
    },
    tokenTicketSecret: secretState('at least 32 characters'),
    registryEncryptionKey: secretState('32 bytes (256-bit)'),
    syncServiceSid: config.syncServiceSid,
    allowedOrigins: [...config.allowedOrigins],
    adminAllowedOrigins: [...config.adminAllowedOrigins],
    twilioApi: config.twilioApiBaseUrl ?? 'https://*.twilio.com',
    events: eventsState(config),
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
