/**
 * The registry side of `adopt`, kept in one place: an adopted subaccount's item is written once,
 * complete (status `active`), with `create`'s default settings.
 */
import { isServiceError } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { ApiKeyRef, EncryptedSecret, RegisteredNumber, SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';
import { newSubaccountRecord } from './creation/creation-record';

export interface AdoptedParts {
  friendlyName: string;
  /** Its auth token, sealed for its `account` item (registry/tenant-auth-token.ts). */
  authToken: EncryptedSecret;
  apiKey: ApiKeyRef;
  twimlAppSid: string;
  numbers: RegisteredNumber[];
  callerId: string | null;
}

/** The registry item of a subaccount, if the registry has one. */
export async function managedItem(
  deps: AdminDeps,
  sid: string,
): Promise<StoredItem<SubaccountRecord> | undefined> {
  return deps.registry.get(sid);
}

/** Directory summaries read a request: Sync's largest page. */
const DIRECTORY_PAGE = 100;

/**
 * Those of `sids` the registry has no item for, in the order given. The directory Map is read by pages
 * over the SIDs' range (one request per 100 registered subaccounts in it, at most 10 for Twilio's
 * default 1,000 subaccounts), not item by item: that Map is shared, and Sync allows 20 reads a second
 * per object (https://www.twilio.com/docs/sync/limits). A summary without its record (a create under
 * way) counts as managed: adopt must not take it over.
 */
export async function unmanagedAmong(deps: AdminDeps, sids: readonly string[]): Promise<string[]> {
  const sorted = [...sids].sort();
  const [first, last] = [sorted[0], sorted.at(-1)];
  if (first === undefined || last === undefined) return [];
  const known = new Set<string>();
  // A proper prefix of the first SID sorts just before it: the scan starts there.
  let after: string | undefined = first.slice(0, -1);
  for (;;) {
    const page = await deps.registry.summariesAfter(after, DIRECTORY_PAGE);
    for (const item of page.items) known.add(item.key);
    after = page.items.at(-1)?.key;
    if (!page.more || after === undefined || after >= last) break;
  }
  return sids.filter((sid) => !known.has(sid));
}

/**
 * Writes the item of an adopted subaccount. When another call registered it first (a concurrent adopt
 * or create), that item stands and `raced` says so: the caller then discards what it made.
 */
export async function registerAdopted(
  deps: AdminDeps,
  sid: string,
  parts: AdoptedParts,
): Promise<{ stored: StoredItem<SubaccountRecord>; raced: boolean }> {
  const { friendlyName, ...fields } = parts;
  const record = newSubaccountRecord(sid, friendlyName, deps.now(), {
    ...fields,
    status: 'active',
    provisioning: null,
  });
  try {
    return { stored: await deps.registry.create(sid, record), raced: false };
  } catch (error) {
    if (!(isServiceError(error) && error.code === 'item_exists')) throw error;
    const existing = await deps.registry.get(sid);
    if (!existing) throw error;
    return { stored: existing, raced: true };
  }
}
