import type { ServiceConfig } from '../config/config';
import { twilioClients } from '../twilio/clients';
import { checkAccountItem, checkNumberItem } from './item-checks';
import { invalidItem } from './item-errors';
import { ACCOUNT_ITEM, isNumberKeyOf, itemName, numberItemKey, tenantMapName } from './layout';
import type { AccountItem, NumberItem } from './schema';
import { credentialsLearner } from './learn-credentials';
import { SyncMapStore, type StoredItem } from './sync-map-store';

/** What the hot paths read of a subaccount: its `account` item, never the whole record. */
export interface TenantAccount {
  account: AccountItem;
  revision: string;
  /** The version its MAC covers (item-seal.ts). */
  version: number;
}

/**
 * The hot paths' reads of a subaccount (/voice, its callbacks, /token; the registry's `readAccount`
 * and `readNumber` are these): one item of the subaccount's own Map each, verified (its MAC) and
 * checked (item-checks.ts), refused as `registry_item_invalid` when either fails or when its key and
 * the SID it holds disagree. Kept apart from subaccount-registry.ts so that a function's first read
 * loads only what these need: no admin operations, no schema library.
 */
export async function readTenantAccount(
  map: SyncMapStore<object>,
  sid: string,
  /** Shown every `account` item read and checked, e.g. to learn a connected account's credentials. */
  read: (account: AccountItem) => void,
): Promise<TenantAccount | undefined> {
  const stored = await map.get(ACCOUNT_ITEM);
  if (!stored) return undefined;
  const account = checkedAccount(sid, stored.data);
  read(account);
  return { account, revision: stored.revision, version: stored.version };
}

/** The `account` item's data checked; refused when it does not check or names another subaccount. */
export function checkedAccount(sid: string, data: unknown): AccountItem {
  const name = itemName(tenantMapName(sid), ACCOUNT_ITEM);
  const checked = checkAccountItem(data);
  if ('problem' in checked) throw invalidItem(name, checked.problem);
  if (checked.data.sid !== sid) throw invalidItem(name, 'its key and the SID it holds disagree');
  return checked.data;
}

/** The item of one number of the subaccount (its routing), or null when it holds no such number. */
export async function readTenantNumber(
  map: SyncMapStore<object>,
  sid: string,
  phoneNumber: string,
): Promise<NumberItem | null> {
  // Under the raw number until its record's next write moves it (layout.ts `numberItemKey`).
  const stored = (await map.get(numberItemKey(phoneNumber))) ?? (await map.get(phoneNumber));
  return stored ? checkedNumber(sid, stored) : null;
}

/** A number item checked; refused when it does not check or its key is not its number's. */
export function checkedNumber(sid: string, item: StoredItem<object>): NumberItem {
  const name = itemName(tenantMapName(sid), item.key);
  const checked = checkNumberItem(item.data);
  if ('problem' in checked) throw invalidItem(name, checked.problem);
  if (!isNumberKeyOf(item.key, checked.data.phoneNumber))
    throw invalidItem(name, 'its key and the SID it holds disagree');
  return checked.data;
}

/** The hot reads under one configuration: the main account's Sync registry, learning as registry.ts does. */
export function tenantReads(config: ServiceConfig) {
  const clients = twilioClients(config);
  const learn = credentialsLearner(config, clients);
  const map = (sid: string) =>
    new SyncMapStore<object>(clients.main, config.syncServiceSid, tenantMapName(sid), config.registryKeys);
  return {
    account: (sid: string) => readTenantAccount(map(sid), sid, learn),
    number: (sid: string, phoneNumber: string) => readTenantNumber(map(sid), sid, phoneNumber),
  };
}
