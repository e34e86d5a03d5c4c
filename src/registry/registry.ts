import type { ServiceConfig } from '../config/config';
import { twilioClients } from '../twilio/clients';
import { SyncMapStore } from './sync-map-store';
import { REGISTRY_MAP, type SubaccountRecord } from './types';

/** The registry of our subaccounts: items keyed by subaccount SID in the main account's Sync Service. */
export function subaccountRegistry(config: ServiceConfig): SyncMapStore<SubaccountRecord> {
  const clients = twilioClients(config);
  return new SyncMapStore<SubaccountRecord>(clients.main, config.syncServiceSid, REGISTRY_MAP);
}
