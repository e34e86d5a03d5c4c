import { notFound } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';

/** The registry item of a subaccount we manage; 404 for any other SID (ours only, never someone else's). */
export async function registeredSubaccount(
  deps: AdminDeps,
  sid: string,
): Promise<StoredItem<SubaccountRecord>> {
  const stored = await deps.registry.get(sid);
  if (!stored) throw notFound('subaccount_not_found', `${sid} is not a subaccount managed by this service.`);
  return stored;
}
