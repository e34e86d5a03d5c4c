import { conflict } from '../../errors/service-error';
import { MAX_RETIRING_KEYS } from '../../registry/schema';
import type { StoredItem } from '../../registry/sync-map-store';
import { MAX_TOKEN_LIFETIME_SECONDS, type ApiKeyRef, type SubaccountRecord } from '../../registry/types';
import { createApiKey, deleteApiKey } from '../api-keys';
import type { AdminDeps } from '../deps';
import { withIdempotencyKey } from '../idempotency';
import { registered, runOperation, type OperationContext } from '../operations/run-operation';
import type { HeldOperation } from '../operations/store';
import { idempotencyKey as idempotencyKeyParameter } from '../parameters';
import { deleteRetiredKeys } from '../retired-keys';
import { subaccountDeleted } from './deleted';
import { subaccountParameters } from './get';
import { stillProvisioning } from '../provisioning';

export const rotateKeyParameters = subaccountParameters.extend({
  idempotencyKey: idempotencyKeyParameter.optional(),
});

/** What one rotation did: kept in its operation record, so that its retry is answered, not redone. */
export interface KeyRotation {
  newKeySid: string;
  retiringKeySid: string | null;
  retireAfter: string;
}

export interface RotationOutcome extends KeyRotation {
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
 * and refuses (409 `too_many_retiring_keys`) while none is.
 *
 * Under the subaccount's operation record (operations/record.ts): the new key's SID is recorded as
 * progress before the registry names it, so a retry after a failure knows whether the rotation took
 * place (the registry names that key) or not (the key is deleted, and the rotation made afresh); a
 * completed rotation is answered from the record.
 */
export async function rotateKey(
  deps: AdminDeps,
  sid: string,
  idempotencyKey?: string,
): Promise<RotationOutcome> {
  const operation = { operation: 'rotate-key', subjects: [sid], idempotencyKey, payload: { sid } };
  const { value } = await runOperation(deps, operation, (context) => rotateHeld(deps, context), {
    keep: ({ newKeySid, retiringKeySid, retireAfter }) => ({ newKeySid, retiringKeySid, retireAfter }),
    answer: (kept, context) =>
      finish(deps, registered(context.records[0]), kept as KeyRotation, context.key, true),
  });
  return value;
}

async function rotateHeld(deps: AdminDeps, context: OperationContext): Promise<RotationOutcome> {
  const [held] = context.held as [HeldOperation];
  let current = registered(context.records[0]);
  const sid = current.key;
  const earlier = held.resumed ? (held.progress.rotation as KeyRotation | undefined) : undefined;
  if (earlier && current.data.apiKey?.sid === earlier.newKeySid)
    return finish(deps, current, earlier, context.key, false);
  // An earlier attempt's key that the registry never named signs nothing: remove it.
  if (earlier) await deleteApiKey(deps, sid, earlier.newKeySid);
  if (current.data.status === 'deleted') throw subaccountDeleted(current.data);
  if (current.data.status === 'closed') throw conflict('subaccount_closed', `${sid} is closed for good.`);
  if (current.data.status === 'provisioning') throw stillProvisioning(current.data);
  if (current.data.retiringApiKeys.length >= MAX_RETIRING_KEYS) {
    current = (await deleteRetiredKeys(deps, current)).stored;
    refuseTooManyRetiring(current.data);
  }
  const now = deps.now();
  const fresh = await createApiKey(deps, sid);
  const rotation: KeyRotation = {
    newKeySid: fresh.sid,
    retiringKeySid: current.data.apiKey?.sid ?? null,
    retireAfter: new Date(now.getTime() + MAX_TOKEN_LIFETIME_SECONDS * 1000).toISOString(),
  };
  let stored: StoredItem<SubaccountRecord> | undefined;
  try {
    await held.save({ rotation });
    stored = await deps.registry.update(sid, withRotation(fresh, rotation.retireAfter, now));
  } catch (error) {
    // The write may have been applied with its answer lost: then the new key is the current one and
    // deleting it would break every token /token signs from now on. Only an unrecorded key is removed
    // (its secret is lost with it); when the registry cannot even be read, the key is left alone (the
    // retry, reading the progress, removes it then).
    stored = await deps.registry.get(sid).catch(() => undefined);
    if (!stored || stored.data.apiKey?.sid !== fresh.sid) {
      if (stored) await deleteApiKey(deps, sid, fresh.sid).catch(() => undefined);
      throw withIdempotencyKey(error, context.key, `Rotating the API key of ${sid}`);
    }
  }
  return finish(deps, stored, rotation, context.key, false);
}

function refuseTooManyRetiring(record: SubaccountRecord): void {
  const [first] = [...record.retiringApiKeys].sort((a, b) => a.retireAfter.localeCompare(b.retireAfter));
  if (first && record.retiringApiKeys.length >= MAX_RETIRING_KEYS) {
    throw conflict(
      'too_many_retiring_keys',
      `${record.sid} already has ${MAX_RETIRING_KEYS} replaced keys waiting for their tokens to expire; rotate again after ${first.retireAfter}, when the first can be deleted.`,
      { subaccountSid: record.sid, retryAfter: first.retireAfter },
    );
  }
}

/**
 * The last step of a rotation, and of its replays: replaced keys whose time has come are deleted (a
 * replay finishes what a call that failed here left).
 */
async function finish(
  deps: AdminDeps,
  stored: StoredItem<SubaccountRecord>,
  rotation: KeyRotation,
  idempotencyKey: string,
  replayed: boolean,
): Promise<RotationOutcome> {
  const cleaned = await deleteRetiredKeys(deps, stored);
  return { ...rotation, idempotencyKey, stored: cleaned.stored, replayed, deletedKeySids: cleaned.deleted };
}

/** The registry change of one rotation; a record that already names the key is left as it is. */
function withRotation(fresh: ApiKeyRef, retireAfter: string, now: Date) {
  return (record: SubaccountRecord): SubaccountRecord => {
    if (record.apiKey?.sid === fresh.sid) return record;
    return {
      ...record,
      apiKey: fresh,
      retiringApiKeys: record.apiKey
        ? [...record.retiringApiKeys, { ...record.apiKey, retireAfter }]
        : record.retiringApiKeys,
      updatedAt: now.toISOString(),
    };
  };
}
