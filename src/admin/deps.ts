import type { ServiceConfig } from '../config/config';
import { subaccountRegistry } from '../registry/registry';
import type { SubaccountRegistry } from '../registry/subaccount-registry';
import { twilioClients, type TwilioClients } from '../twilio/clients';
import { creationJournal, type CreationJournal } from './subaccounts/creation-journal';

/**
 * Everything an admin operation touches outside itself. Functions wire the real ones with `adminDeps`;
 * tests build the same thing against the sandbox (and may pass a fixed clock).
 */
export interface AdminDeps {
  config: ServiceConfig;
  clients: TwilioClients;
  registry: SubaccountRegistry;
  /** Progress of `create` calls by idempotency key (see subaccounts/creation-journal.ts). */
  journal: CreationJournal;
  now: () => Date;
}

export function adminDeps(config: ServiceConfig, now: () => Date = () => new Date()): AdminDeps {
  return {
    config,
    clients: twilioClients(config),
    registry: subaccountRegistry(config),
    journal: creationJournal(config),
    now,
  };
}
