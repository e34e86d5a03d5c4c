import type { StoredItem } from '../registry/sync-map-store';
import type { RetiringApiKey, SubaccountRecord } from '../registry/types';
import { deleteApiKey } from './api-keys';
import type { AdminDeps } from './deps';

/** Replaced keys whose tokens have all expired: safe to delete now. */
export const dueForDeletion = (record: SubaccountRecord, now: Date): RetiringApiKey[] =>
  record.retiringApiKeys.filter((key) => Date.parse(key.retireAfter) <= now.getTime());

/** Deletes the due keys on Twilio, then drops them from the registry; returns the deleted SIDs. */
export async function deleteRetiredKeys(
  deps: AdminDeps,
  stored: StoredItem<SubaccountRecord>,
): Promise<{ stored: StoredItem<SubaccountRecord>; deleted: string[] }> {
  const due = dueForDeletion(stored.data, deps.now()).map((key) => key.sid);
  if (due.length === 0) return { stored, deleted: [] };
  await Promise.all(due.map((keySid) => deleteApiKey(deps, stored.key, keySid)));
  const gone = new Set(due);
  const updated = await deps.registry.update(stored.key, (record) => ({
    ...record,
    retiringApiKeys: record.retiringApiKeys.filter((key) => !gone.has(key.sid)),
    updatedAt: deps.now().toISOString(),
  }));
  return { stored: updated, deleted: due };
}
