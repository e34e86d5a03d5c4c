/**
 * How a lifecycle change runs under operation records (record.ts, store.ts):
 *
 *   const { value, replayed, key } = await runOperation(
 *     deps,
 *     { operation: 'rotate-key', subjects: [sid], idempotencyKey, payload: { sid } },
 *     async ({ records: [stored], held }) => { ...; return result; },
 *     { keep: (result) => ({ newKeySid: result.newKeySid }), answer: async (kept, context) => ... },
 *   );
 *
 * 1. Each subject's registry items and record are read together (one request per subject, all at
 *    once); a subject the registry does not have is refused 404 `subaccount_not_found`, unless
 *    `unregistered` allows it (connect, whose tenant does not exist yet).
 * 2. Each subject's record is taken (one write each, all at once); a subject whose record another call
 *    holds refuses the change with 409 `subaccount_busy` (what is under way, when to retry), and the
 *    records already taken are given back.
 * 3. With `replay`, a retry whose key has a receipt (the same operation and payload) is answered by
 *    `replay.answer` from what was kept (`replayed`), and the same key with another payload is refused
 *    409 `idempotency_key_reused`; otherwise `work` runs with the records read and the held record of
 *    each subject (to save progress and resume).
 * 4. The records are completed (one write each), keeping `replay.keep(value)` for retries; after a
 *    failure they are given up (kept expired, with progress, when `work` saved any; put back as they
 *    were otherwise, so a refusal leaves nothing behind), so a retry takes over at once.
 * Round trips: two before `work` (read, with `alongside` beside it; take) and one after it (complete).
 */
import { conflict, ServiceError } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';
import { payloadHash, receiptFor, REPLAY_WINDOW_MS, type OperationRecord } from './record';
import type { HeldOperation } from './store';
import { randomUUID } from 'node:crypto';

export interface OperationRequest {
  /** Its name in records and in the 409 of a change refused meanwhile: `close`, `rotate-key`, ... */
  operation: string;
  /** The accounts it changes: each is held for the whole change. */
  subjects: readonly string[];
  /** Given by the caller to make a retry safe; generated (and answered) when absent. */
  idempotencyKey?: string | undefined;
  /** What the change is asked to do: its hash tells a retry from a different use of the same key. */
  payload: unknown;
  /** Subjects may be absent from the registry (a connect registers its tenant). */
  unregistered?: boolean;
  /**
   * A read `work` needs that does not depend on the records (a list of the subaccount's numbers, say):
   * it runs beside the first read, saving `work` a round trip, and comes to `work` as `alongside`. It is
   * read before the records are taken, so `work` must read again what could change meanwhile.
   */
  alongside?: () => Promise<unknown>;
}

export interface OperationContext {
  /** Each subject's registry record as read with its operation record (undefined: not registered). */
  records: (StoredItem<SubaccountRecord> | undefined)[];
  /** Each subject's held record: `save` progress, `resumed` when a retry of the same call takes over. */
  held: HeldOperation[];
  key: string;
  /** What `alongside` read. */
  alongside: unknown;
}

export interface OperationOutcome<T> {
  value: T;
  /** True when an earlier call with this key had done it: `value` is its recorded result. */
  replayed: boolean;
  key: string;
}

/** How a change with an idempotency key is answered again. */
export interface Replay<T> {
  /** What of the value a retry is answered with: JSON, at most MAX_RESULT_BYTES, never a secret. */
  keep: (value: T) => unknown;
  /** The answer to a retry from what was kept; it runs holding the records, like the change itself. */
  answer: (kept: unknown, context: OperationContext) => Promise<T>;
}

export async function runOperation<T>(
  deps: AdminDeps,
  request: OperationRequest,
  work: (context: OperationContext) => Promise<T>,
  replay?: Replay<T>,
): Promise<OperationOutcome<T>> {
  const key = request.idempotencyKey ?? randomUUID();
  const claim = { operation: request.operation, key, payloadHash: payloadHash(request.payload) };
  const subjects = [...new Set(request.subjects)].sort();
  const [alongside, ...read] = await Promise.all([
    request.alongside?.(),
    ...subjects.map((sid) => readSubject(deps, sid, request.unregistered)),
  ]);
  const byOrder = request.subjects.map((sid) => read[subjects.indexOf(sid)] as SubjectRead);

  const taken = await Promise.allSettled(
    read.map((subject) => deps.operations.take({ subaccountSid: subject.sid }, claim, subject.operation)),
  );
  const held = taken.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const refused = taken.find((outcome) => outcome.status === 'rejected');
  if (refused) {
    await Promise.all(held.map((record) => record.giveUp(false)));
    throw refused.reason;
  }
  const heldInOrder = request.subjects.map((sid) => held[subjects.indexOf(sid)] as HeldOperation);
  const context = { records: byOrder.map((subject) => subject.stored), held: heldInOrder, key, alongside };
  const now = deps.now().getTime();
  const receipt =
    replay && read.map((subject) => receiptFor(subject.operation?.data, key, now)).find(Boolean);
  try {
    if (receipt && (receipt.operation !== claim.operation || receipt.payloadHash !== claim.payloadHash))
      throw keyReused(key, receipt.operation);
    if (receipt && replay) {
      const value = await replay.answer(receipt.result, context);
      await completeAll(held, undefined, undefined);
      return { value, replayed: true, key };
    }
    const value = await work(context);
    await completeAll(held, replay?.keep(value), replay ? REPLAY_WINDOW_MS : undefined);
    return { value, replayed: false, key };
  } catch (error) {
    await Promise.all(held.map((record) => record.giveUp(true)));
    throw error;
  }
}

/**
 * Completes every held record. A completion that fails changes nothing for the caller: the change is
 * done, and its record lapses by itself after OPERATION_LEASE_MS (a retry meanwhile is told to wait,
 * then resumes from the progress the change saved, which tells it what is done).
 */
async function completeAll(held: HeldOperation[], kept: unknown, replayFor?: number): Promise<void> {
  await Promise.all(held.map((record) => record.complete(kept, replayFor).catch(() => undefined)));
}

interface SubjectRead {
  sid: string;
  stored?: StoredItem<SubaccountRecord>;
  operation?: StoredItem<OperationRecord>;
}

async function readSubject(deps: AdminDeps, sid: string, unregistered = false): Promise<SubjectRead> {
  const { stored, operation } = await deps.registry.getWithOperation(sid);
  if (!stored && !unregistered) {
    throw new ServiceError(
      404,
      'subaccount_not_found',
      `${sid} is not a subaccount managed by this service.`,
      {
        subaccountSid: sid,
      },
    );
  }
  return {
    sid,
    ...(stored ? { stored } : {}),
    ...(operation ? { operation: deps.operations.parse({ subaccountSid: sid }, operation) } : {}),
  };
}

/** The record of a subject that `runOperation` read as registered (every subject, without `unregistered`). */
export const registered = (stored: StoredItem<SubaccountRecord> | undefined): StoredItem<SubaccountRecord> =>
  stored as StoredItem<SubaccountRecord>;

/** The refusal of an idempotency key already used for another change. */
export function keyReused(key: string, operation: string): ServiceError {
  return conflict(
    'idempotency_key_reused',
    `idempotencyKey ${key} was already used for ${operation} with other parameters; use a new key.`,
    { parameter: 'idempotencyKey' },
  );
}
