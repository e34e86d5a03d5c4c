import type { ServiceConfig } from '../config/config';
import { twilioClients } from '../twilio/clients';
import { credentialsLearner } from './learn-credentials';
import { SubaccountRegistry } from './subaccount-registry';
import { rememberKnownTenant } from './known-tenants';
import { forgetTenant } from './tenant-cache';

/**
 * The registry of our tenants in the main account's Sync Service (layout.ts). Every `account` item it
 * reads of a connected account hands that account's own auth token to the Twilio clients, which reach
 * it with nothing else (twilio/clients.ts). `cutShort` is told of a subaccount whose write failed, maybe
 * part way (subaccount-registry.ts).
 */
export function subaccountRegistry(
  config: ServiceConfig,
  cutShort?: (sid: string) => void,
): SubaccountRegistry {
  const clients = twilioClients(config);
  const learn = credentialsLearner(config, clients);
  return new SubaccountRegistry(
    clients.main,
    config.syncServiceSid,
    config.registryKeys,
    (sid) => {
      forgetTenant(config, sid);
      rememberKnownTenant(config, sid);
    },
    learn,
    cutShort,
  );
}
