/**
 * The registry side of `adopt`, kept in one place: an adopted subaccount's item is written once,
 * complete (status `active`), with `create`'s default settings.
 */
import { isServiceError } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { ApiKeyRef, RegisteredNumber, SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';
import { newSubaccountRecord } from './creation-record';

export interface AdoptedParts {
  friendlyName: string;
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

/** Those of `sids` the registry has no item for, in the order given. */
export async function unmanagedAmong(deps: AdminDeps, sids: readonly string[]): Promise<string[]> {
  const items = await Promise.all(sids.map((sid) => deps.registry.get(sid)));
  return sids.filter((_, index) => items[index] === undefined);
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
