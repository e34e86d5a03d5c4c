import { randomUUID } from 'node:crypto';
import { conflict } from '../../errors/service-error';
import { MAX_KEY_ROTATIONS, MAX_RETIRING_KEYS } from '../../registry/schema';
import type { StoredItem } from '../../registry/sync-map-store';
import {
  MAX_TOKEN_LIFETIME_SECONDS,
  type ApiKeyRef,
  type KeyRotation,
  type SubaccountRecord,
} from '../../registry/types';
import { createApiKey, deleteApiKey } from '../api-keys';
import type { AdminDeps } from '../deps';
import { withIdempotencyKey } from '../idempotency';
import { idempotencyKey as idempotencyKeyParameter } from '../parameters';
import { deleteRetiredKeys } from '../retired-keys';
import { withSubaccountLease } from '../subaccount-lease';
import { subaccountDeleted } from './deleted';
import { subaccountParameters } from './get';
import { stillProvisioning } from './provisioning';

export const rotateKeyParameters = subaccountParameters.extend({
  idempotencyKey: idempotencyKeyParameter.optional(),
});

/** How many rotations a subaccount's record remembers for retries (the registry's cap). */
export const KEPT_KEY_ROTATIONS = MAX_KEY_ROTATIONS;

export interface RotationOutcome extends Omit<KeyRotation, 'idempotencyKey'> {
  stored: StoredItem<SubaccountRecord>;
  idempotencyKey: string;
  /** True when an earlier call with this idempotency key had rotated the key: nothing was done now. */
  replayed: boolean;
  /** Replaced keys whose tokens have all expired, deleted by this call (a replay too deletes those due). */
  deletedKeySids: string[];
}

/**
 * Replaces the subaccount's API key, once per idempotency key (generated when none is given, and
 * answered either way). The new key goes into the registry first, so /token signs with it from then on
 * (within the tenant cache's 30 s). The old key is not deleted: tokens signed with it may be in use for
 * up to the longest token lifetime /token issues (24 h), so it is kept in `retiringApiKeys` with
 * `retireAfter` = now + that lifetime, and deleted by a later rotate-key or a check with repair once
 * that time has passed. Keys already past it are deleted by this call. At most MAX_RETIRING_KEYS keys
 * retire at once (so the registry item stays bounded): past that, rotate-key deletes those due first
 * and refuses (409 `too_many_retiring_keys`) while none is. Under the subaccount's lease.
 */
export async function rotateKey(
  deps: AdminDeps,
  sid: string,
  idempotencyKey: string = randomUUID(),
): Promise<RotationOutcome> {
  return withSubaccountLease(deps, sid, 'rotate-key', (leased) =>
    rotateUnderLease(deps, leased, idempotencyKey),
  );
}

async function rotateUnderLease(
  deps: AdminDeps,
  leased: StoredItem<SubaccountRecord>,
  idempotencyKey: string,
): Promise<RotationOutcome> {
  const sid = leased.key;
  let current = leased;
  const earlier = rotationOf(current.data, idempotencyKey);
  if (earlier) return replay(deps, current, earlier);
  if (current.data.status === 'deleted') throw subaccountDeleted(current.data);
  if (current.data.status === 'closed') throw conflict('subaccount_closed', `${sid} is closed for good.`);
  if (current.data.status === 'provisioning') throw stillProvisioning(current.data);
  if (current.data.retiringApiKeys.length >= MAX_RETIRING_KEYS) {
    current = (await deleteRetiredKeys(deps, current)).stored;
    const [first] = [...current.data.retiringApiKeys].sort((a, b) =>
      a.retireAfter.localeCompare(b.retireAfter),
    );
    if (first && current.data.retiringApiKeys.length >= MAX_RETIRING_KEYS) {
      throw conflict(
        'too_many_retiring_keys',
        `${sid} already has ${MAX_RETIRING_KEYS} replaced keys waiting for their tokens to expire; rotate again after ${first.retireAfter}, when the first can be deleted.`,
        { subaccountSid: sid, retryAfter: first.retireAfter },
      );
    }
  }
  const now = deps.now();

  const fresh = await createApiKey(deps, sid);
  const rotation = withRotation(fresh, idempotencyKey, now);
  let stored: StoredItem<SubaccountRecord> | undefined;
  try {
    stored = await deps.registry.update(sid, rotation);
  } catch (error) {
    // The write may have been applied with its answer lost: then the new key is the current one and
    // deleting it would break every token /token signs from now on. Only an unrecorded key is removed
    // (its secret is lost with it); when the registry cannot even be read, the key is left alone.
    stored = await deps.registry.get(sid).catch(() => undefined);
    if (!stored || !rotationOf(stored.data, idempotencyKey)) {
      if (stored) await deleteApiKey(deps, sid, fresh.sid).catch(() => undefined);
      throw withIdempotencyKey(error, idempotencyKey, `Rotating the API key of ${sid}`);
    }
  }
  const recorded = rotationOf(stored.data, idempotencyKey) as KeyRotation;
  if (recorded.newKeySid !== fresh.sid) {
    // A concurrent call with the same idempotency key rotated first; this call's key was never used.
    await deleteApiKey(deps, sid, fresh.sid);
    return replay(deps, stored, recorded);
  }
  return finish(deps, stored, recorded, false);
}

function rotationOf(record: SubaccountRecord, idempotencyKey: string): KeyRotation | undefined {
  return record.keyRotations?.find((rotation) => rotation.idempotencyKey === idempotencyKey);
}

function replay(deps: AdminDeps, stored: StoredItem<SubaccountRecord>, rotation: KeyRotation) {
  return finish(deps, stored, rotation, true);
}

/**
 * The last step of a rotation, and of its replays: a call that failed here (its rotation recorded) is
 * finished by its retry.
 */
async function finish(
  deps: AdminDeps,
  stored: StoredItem<SubaccountRecord>,
  rotation: KeyRotation,
  replayed: boolean,
): Promise<RotationOutcome> {
  const cleaned = await deleteRetiredKeys(deps, stored);
  return { ...rotation, stored: cleaned.stored, replayed, deletedKeySids: cleaned.deleted };
}

/** The registry change of one rotation; a record that already holds it (same key) is left as it is. */
function withRotation(fresh: ApiKeyRef, idempotencyKey: string, now: Date) {
  const retireAfter = new Date(now.getTime() + MAX_TOKEN_LIFETIME_SECONDS * 1000).toISOString();
  return (record: SubaccountRecord): SubaccountRecord => {
    if (rotationOf(record, idempotencyKey)) return record;
    const rotation: KeyRotation = {
      idempotencyKey,
      newKeySid: fresh.sid,
      retiringKeySid: record.apiKey?.sid ?? null,
      retireAfter,
    };
    return {
      ...record,
      apiKey: fresh,
      retiringApiKeys: record.apiKey
        ? [...record.retiringApiKeys, { ...record.apiKey, retireAfter }]
        : record.retiringApiKeys,
      keyRotations: [rotation, ...(record.keyRotations ?? [])].slice(0, KEPT_KEY_ROTATIONS),
      updatedAt: now.toISOString(),
    };
  };
}
