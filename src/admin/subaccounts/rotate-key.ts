import { conflict } from '../../errors/service-error';
import { MAX_TOKEN_LIFETIME_SECONDS } from '../../registry/types';
import { createApiKey, deleteApiKey } from '../api-keys';
import type { AdminDeps } from '../deps';
import { deleteRetiredKeys } from '../retired-keys';
import { registeredSubaccount } from './registered';

/**
 * Replaces the subaccount's API key. The new key goes into the registry first, so /token signs with it
 * from then on (within the tenant cache's 30 s). The old key is not deleted: tokens signed with it may
 * be in use for up to the longest token lifetime /token issues (24 h), so it is kept in
 * `retiringApiKeys` with `retireAfter` = now + that lifetime, and deleted by a later rotate-key or a
 * check with repair once that time has passed. Keys already past it are deleted by this call.
 */
export async function rotateKey(deps: AdminDeps, sid: string) {
  const current = await registeredSubaccount(deps, sid);
  if (current.data.status === 'closed') throw conflict('subaccount_closed', `${sid} is closed for good.`);
  const fresh = await createApiKey(deps, sid);
  const now = deps.now();
  const retireAfter = new Date(now.getTime() + MAX_TOKEN_LIFETIME_SECONDS * 1000).toISOString();
  let rotated;
  try {
    rotated = await deps.registry.update(sid, (record) => ({
      ...record,
      apiKey: fresh,
      retiringApiKeys: record.apiKey
        ? [...record.retiringApiKeys, { ...record.apiKey, retireAfter }]
        : record.retiringApiKeys,
      updatedAt: now.toISOString(),
    }));
  } catch (error) {
    // The write may have been applied with its answer lost: then the new key is the current one and
    // deleting it would break every token /token signs from now on. Only an unrecorded key is removed
    // (its secret is lost with it); when the registry cannot even be read, the key is left alone.
    const recorded = await deps.registry.get(sid).catch(() => undefined);
    if (recorded?.data.apiKey?.sid !== fresh.sid) {
      if (recorded) await deleteApiKey(deps, sid, fresh.sid).catch(() => undefined);
      throw error;
    }
    rotated = recorded;
  }
  const { stored, deleted } = await deleteRetiredKeys(deps, rotated);
  return {
    stored,
    newKeySid: fresh.sid,
    retiringKeySid: current.data.apiKey?.sid ?? null,
    retireAfter,
    deletedKeySids: deleted,
  };
}
