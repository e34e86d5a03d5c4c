import type { ServiceConfig } from '../config/config';
import type { TwilioClients } from '../twilio/clients';
import type { AccountItem } from './schema';
import { openAuthToken } from './tenant-auth-token';

/**
 * What every `account` item read tells the Twilio clients: a connected account's own auth token, the
 * only credential that reaches it (twilio/clients.ts), or that there is none to use any more.
 */
export function credentialsLearner(config: ServiceConfig, clients: TwilioClients) {
  return (account: AccountItem): void => {
    if (account.kind !== 'connected') return;
    if (!account.authToken || account.status === 'disconnected') {
      clients.forgetOwnCredentials(account.sid);
      return;
    }
    try {
      clients.rememberOwnCredentials(
        account.sid,
        openAuthToken(config.registryKeys, account.sid, account.authToken),
      );
    } catch {
      // A token that does not decrypt is no credential: requests then go out with the main ones and
      // Twilio refuses them (20003), which check reports.
      clients.forgetOwnCredentials(account.sid);
    }
  };
}
