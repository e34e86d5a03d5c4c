import type { ServiceConfig } from '../config/config';
import { twilioClients } from '../twilio/clients';
import { SubaccountRegistry } from './subaccount-registry';
import { forgetTenant } from './tenant-cache';

/** The registry of our subaccounts in the main account's Sync Service (layout.ts). */
export function subaccountRegistry(config: ServiceConfig): SubaccountRegistry {
  const clients = twilioClients(config);
  return new SubaccountRegistry(clients.main, config.syncServiceSid, config.registryKeys, (sid) =>
    forgetTenant(config, sid),
  );
}
