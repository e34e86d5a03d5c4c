/**
 * Where operation records (record.ts) live, and how one is taken, saved, completed and given up. A
 * record is one Sync Map item, written through the registry's store (registry/sync-map-store.ts) with
 * Sync's optimistic concurrency (If-Match), so of two calls only one can take a record:
 * - a subaccount's record is the `operation` item of the subaccount's own Map (registry/layout.ts),
 *   read with the subaccount's registry items in the same request (`registry.getWithOperation`);
 * - a `create` has no subaccount to lock until Twilio gives it a SID: its idempotency key's record is
 *   an item of the `operations` Map, keyed by the idempotency key, that says which subaccount the key
 *   made (so a retry finds it) while the subaccount's own record locks and journals the work.
 *
 * Limits: taking a record is one write, saving progress one write each (in order, one at a time),
 * completing or giving it up one write; all on the subaccount's own Map, except a create's three
 * writes to `operations` (claim, SID, completion), so Sync's 20 writes per second per object allow
 * about six creates a second across the service, and no subaccount's changes touch another's objects
 * (https://www.twilio.com/docs/sync/limits). An item holds one record, its progress (a few SIDs and one
 * encrypted key secret), and at most MAX_EARLIER_RECEIPTS results of MAX_RESULT_BYTES: a few KiB, far
 * inside the 16 KiB of an item, and checked before every write (requireItemFits).
 */
import type { KeyRing } from '../../config/key-ring';
import type { Twilio } from 'twilio';
import { conflict, ServiceError } from '../../errors/service-error';
import { itemName, OPERATION_ITEM, tenantMapName } from '../../registry/layout';
import { parseItem, requireItemFits } from '../../registry/schema';
import { SyncMapStore, type StoredItem } from '../../registry/sync-map-store';
import {
  MAX_EARLIER_RECEIPTS,
  MAX_RESULT_BYTES,
  OPERATION_LEASE_MS,
  operationRecordSchema,
  stateOf,
  type OperationReceipt,
  type OperationRecord,
} from './record';

/** The Map of the records of creates, by idempotency key (a subaccount's record is in its own Map). */
export const OPERATIONS_MAP = 'operations';

/** What a record locks: a subaccount (its own Map's `operation` item), or a create's idempotency key. */
export type OperationScope = { subaccountSid: string } | { idempotencyKey: string };

/** What a call is about to do, as its record says it. */
export interface OperationClaim {
  operation: string;
  key: string;
  payloadHash: string;
}

export class OperationStore {
  constructor(
    private readonly twilio: () => Twilio,
    private readonly serviceSid: string,
    private readonly now: () => Date,
    /** REGISTRY_ENCRYPTION_KEY's keys: operation records are sealed like every registry item. */
    private readonly keys: KeyRing<Buffer>,
  ) {}

  /** The record of `scope`, read on its own (a subaccount's is usually read with its registry items). */
  async read(scope: OperationScope): Promise<StoredItem<OperationRecord> | undefined> {
    const { map, key } = this.place(scope);
    const stored = await map.get(key);
    return stored && this.parse(scope, stored);
  }

  /** Validates a record as read from Sync (an invalid one is refused, never acted on). */
  parse(scope: OperationScope, stored: StoredItem<object>): StoredItem<OperationRecord> {
    const { map, key } = this.place(scope);
    parseItem(operationRecordSchema, stored.data, itemName(map.name, key), () => true);
    // Kept as stored once valid: a record put back after a refusal is then the same, field for field.
    return stored as StoredItem<OperationRecord>;
  }

  /**
   * Takes the record of `scope` for `claim` over `held` (the record as last read, if any): refused with
   * 409 while another call's record is in progress and unexpired, or when another call took it first.
   * A call that takes over its own key's expired record (a retry) resumes from its progress.
   */
  async take(
    scope: OperationScope,
    claim: OperationClaim,
    held: StoredItem<OperationRecord> | undefined,
  ): Promise<HeldOperation> {
    const now = this.now().getTime();
    if (held && stateOf(held.data, now) === 'in_progress') throw busy(scope, held.data, now);
    const resumed = held?.data.status === 'in_progress' && sameCall(held.data, claim);
    const record: OperationRecord = {
      ...claim,
      status: 'in_progress',
      expiresAt: new Date(now + OPERATION_LEASE_MS).toISOString(),
      progress: resumed && held ? held.data.progress : {},
      ...receiptsOf(held?.data, now),
    };
    const { map, key } = this.place(scope);
    try {
      const written = held ? await map.replace(key, held.revision, record) : await map.create(key, record);
      return new HeldOperation(this, scope, written, held, resumed);
    } catch (error) {
      const lost = error instanceof ServiceError && ['revision_conflict', 'item_exists'].includes(error.code);
      if (!lost) throw error;
      const winner = await this.read(scope);
      throw busy(scope, winner?.data ?? record, now);
    }
  }

  /**
   * Takes the record of `scope` for `claim` when there is none yet (one request); when there is one,
   * answers it as read, for the caller to judge (a create's retry) and `take` over.
   */
  async takeNew(
    scope: OperationScope,
    claim: OperationClaim,
    progress: Record<string, unknown> = {},
  ): Promise<HeldOperation | { existing: StoredItem<OperationRecord> }> {
    const now = this.now().getTime();
    const record: OperationRecord = {
      ...claim,
      status: 'in_progress',
      expiresAt: new Date(now + OPERATION_LEASE_MS).toISOString(),
      progress,
    };
    const { map, key } = this.place(scope);
    try {
      return new HeldOperation(this, scope, await map.create(key, record), undefined, false);
    } catch (error) {
      if (!(error instanceof ServiceError && error.code === 'item_exists')) throw error;
    }
    const existing = await this.read(scope);
    // Removed between the two requests: its holder gave up; the retry starts afresh.
    if (!existing) throw busy(scope, record, now);
    return { existing };
  }

  /** @internal Writes `record` over `stored` (HeldOperation's writes). */
  async write(
    scope: OperationScope,
    stored: StoredItem<OperationRecord>,
    record: OperationRecord,
  ): Promise<StoredItem<OperationRecord>> {
    const { map, key } = this.place(scope);
    requireItemFits(itemName(map.name, key), record);
    return map.replace(key, stored.revision, record);
  }

  /** @internal Removes the record if it is still at `revision`. */
  async remove(scope: OperationScope, revision: string): Promise<void> {
    const { map, key } = this.place(scope);
    await map.remove(key, revision);
  }

  clock(): number {
    return this.now().getTime();
  }

  private place(scope: OperationScope): { map: NamedStore; key: string } {
    if ('subaccountSid' in scope) {
      const name = tenantMapName(scope.subaccountSid);
      return { map: this.store(name), key: OPERATION_ITEM };
    }
    return { map: this.store(OPERATIONS_MAP), key: scope.idempotencyKey };
  }

  private store(name: string): NamedStore {
    return Object.assign(new SyncMapStore<OperationRecord>(this.twilio, this.serviceSid, name, this.keys), {
      name,
    });
  }
}

/** A `replayFor` that never ends: a create's key stays bound to the subaccount it made. */
export const KEPT_FOR_GOOD = Number.POSITIVE_INFINITY;
const NEVER = '9999-12-31T23:59:59.999Z';

type NamedStore = SyncMapStore<OperationRecord> & { name: string };

const sameCall = (record: OperationRecord, claim: OperationClaim) =>
  record.key === claim.key &&
  record.operation === claim.operation &&
  record.payloadHash === claim.payloadHash;

/** The receipts a new record carries over from the one it replaces: those still answering retries. */
function receiptsOf(previous: OperationRecord | undefined, now: number): { earlier?: OperationReceipt[] } {
  if (!previous) return {};
  const { operation, key, payloadHash, expiresAt, result } = previous;
  const own = previous.status === 'completed' ? [{ operation, key, payloadHash, expiresAt, result }] : [];
  const earlier = [...own, ...(previous.earlier ?? [])]
    .filter((receipt) => Date.parse(receipt.expiresAt) > now && receipt.result !== undefined)
    .slice(0, MAX_EARLIER_RECEIPTS);
  return earlier.length > 0 ? { earlier } : {};
}

/**
 * A record this call holds: it saves progress as steps finish (one write at a time, in order, each
 * with the revision the previous one left: nobody else writes while it holds), then completes the
 * record with its result, or gives it up after a failure so a retry may take over at once.
 */
export class HeldOperation {
  private chain: Promise<unknown> = Promise.resolve();
  private finished = false;

  constructor(
    private readonly store: OperationStore,
    readonly scope: OperationScope,
    private stored: StoredItem<OperationRecord>,
    /** The record this one replaced, as read: what a refusal puts back. */
    private readonly previous: StoredItem<OperationRecord> | undefined,
    /** True when an earlier call with the same key and payload left progress to resume from. */
    readonly resumed: boolean,
  ) {}

  get record(): OperationRecord {
    return this.stored.data;
  }

  get progress(): Record<string, unknown> {
    return this.stored.data.progress;
  }

  /** Records progress; resolves once it is durable. Writes queue behind each other. */
  save(progress: Record<string, unknown>): Promise<void> {
    return this.queue((record) => ({ ...record, progress: { ...record.progress, ...progress } }));
  }

  /**
   * Marks the change done. With `replayFor` (ms, REPLAY_WINDOW_MS by default for a change with an
   * idempotency key; KEPT_FOR_GOOD for one whose key names what it made), `result` answers a retry with
   * the same key and payload that long; otherwise the record is removed once nothing is left to keep.
   */
  async complete(result: unknown, replayFor?: number): Promise<void> {
    if (replayFor !== undefined && Buffer.byteLength(JSON.stringify(result) ?? '') > MAX_RESULT_BYTES)
      throw new Error(`The result of ${this.record.operation} is too large to keep for replay.`);
    const now = this.store.clock();
    this.finished = true;
    if (replayFor === undefined && !this.record.earlier) {
      await this.chain;
      await this.store.remove(this.scope, this.stored.revision);
      return;
    }
    await this.queue((record) => ({
      ...record,
      status: 'completed',
      expiresAt: replayFor === KEPT_FOR_GOOD ? NEVER : new Date(now + (replayFor ?? 0)).toISOString(),
      progress: {},
      ...(replayFor !== undefined ? { result } : {}),
    }));
  }

  /**
   * After a failure: lets a retry (or another change) take over at once. With progress kept, the record
   * stays, expired, so a retry with the same key resumes; without, the record is put back as it was
   * found (removed when there was none), so a refused change leaves nothing behind. Best effort: a
   * record left in progress lapses by itself after OPERATION_LEASE_MS.
   */
  async giveUp(keepProgress: boolean): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.chain;
    const now = new Date(this.store.clock()).toISOString();
    const release = async () => {
      if (keepProgress && Object.keys(this.progress).length > 0) {
        await this.store.write(this.scope, this.stored, { ...this.record, expiresAt: now });
      } else if (this.previous) {
        await this.store.write(this.scope, this.stored, this.previous.data);
      } else {
        await this.store.remove(this.scope, this.stored.revision);
      }
    };
    await release().catch(() => undefined);
  }

  private queue(change: (record: OperationRecord) => OperationRecord): Promise<void> {
    const write = this.chain.then(async () => {
      this.stored = await this.store.write(this.scope, this.stored, change(this.stored.data));
    });
    // A failed write fails its caller; later writes still run (with the revision last known to be good).
    this.chain = write.catch(() => undefined);
    return write;
  }
}

/** The 409 of a change refused because another is under way. */
export function busy(scope: OperationScope, record: OperationRecord, now: number): ServiceError {
  const until = Date.parse(record.expiresAt);
  const retryAfterSeconds = Number.isNaN(until) ? 1 : Math.max(1, Math.ceil((until - now) / 1000));
  if ('idempotencyKey' in scope) {
    return conflict(
      'create_in_progress',
      `A create with idempotencyKey ${scope.idempotencyKey} is still running; retry in a few seconds.`,
      { retryAfterSeconds },
    );
  }
  const sid = scope.subaccountSid;
  return conflict(
    'subaccount_busy',
    `${sid} is busy: ${record.operation} is under way; retry in ${retryAfterSeconds} s.`,
    { subaccountSid: sid, operation: record.operation, retryAfterSeconds },
  );
}
