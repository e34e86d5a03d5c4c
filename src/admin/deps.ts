import type { ServiceConfig } from '../config/config';
import { subaccountRegistry } from '../registry/registry';
import type { SubaccountRegistry } from '../registry/subaccount-registry';
import { twilioClients, type TwilioClients } from '../twilio/clients';
import { OperationStore } from './operations/store';

/**
 * Everything an admin operation touches outside itself. Functions wire the real ones with `adminDeps`;
 * tests build the same thing against the sandbox (and may pass a fixed clock).
 */
export interface AdminDeps {
  config: ServiceConfig;
  clients: TwilioClients;
  registry: SubaccountRegistry;
  /** The operation records of lifecycle changes (see operations/record.ts). */
  operations: OperationStore;
  now: () => Date;
}

export function adminDeps(config: ServiceConfig, now: () => Date = () => new Date()): AdminDeps {
  const clients = twilioClients(config);
  const operations = new OperationStore(clients.main, config.syncServiceSid, now, config.registryKeys);
  return {
    config,
    clients,
    // A write cut short keeps its operation record unfinished, which is what lets the retry finish it.
    registry: subaccountRegistry(config, (sid) => operations.registryWriteCutShort(sid)),
    operations,
    now,
  };
}
