import { randomUUID } from 'node:crypto';
import { ServiceError, conflict } from '../errors/service-error';
import type { StoredItem } from '../registry/sync-map-store';
import type { SubaccountLease, SubaccountRecord } from '../registry/types';
import type { AdminDeps } from './deps';

/**
 * How long a lease holds. A Function is killed after 10 s, so past this its holder cannot still be
 * working: a lease left by a killed call (or a release that failed) lapses on its own.
 */
export const SUBACCOUNT_LEASE_MS = 12_000;

/**
 * Runs one lifecycle change of a subaccount (update, suspend, reactivate, close, rotate-key, a
 * transfer's end, create) while holding its lease: the `lease` item of its Map, created or replaced
 * with the revision read (If-Match), so of two calls only one can take it, and the record's own
 * revision (what `ifRevision` names) does not change. The other answers 409
 * `subaccount_busy` with what is under way and when to retry, having changed nothing. `fn` gets the
 * record read with the lease. The lease is released afterwards, whatever `fn` did.
 *
 * Limits: taking a lease is one read (the record's own, which the operation needs anyway) and one
 * write, releasing it one write, all on the subaccount's own Map (never the shared directory), well
 * under Sync's 20 reads and 20 writes per second per object.
 */
export async function withSubaccountLease<T>(
  deps: AdminDeps,
  subaccountSid: string,
  operation: string,
  fn: (stored: StoredItem<SubaccountRecord>) => Promise<T>,
): Promise<T> {
  return withSubaccountLeases(deps, [subaccountSid], operation, ([stored]) =>
    fn(stored as StoredItem<SubaccountRecord>),
  );
}

/**
 * The same around several subaccounts at once (both ends of a transfer): leases are taken in SID
 * order, and when one is busy those already taken are released before the 409.
 */
export async function withSubaccountLeases<T>(
  deps: AdminDeps,
  subaccountSids: readonly string[],
  operation: string,
  fn: (stored: StoredItem<SubaccountRecord>[]) => Promise<T>,
): Promise<T> {
  const holder = randomUUID();
  const taken: { stored: StoredItem<SubaccountRecord>; leaseRevision: string }[] = [];
  const releaseAll = () =>
    Promise.all(
      taken.map(({ stored, leaseRevision }) =>
        deps.registry.releaseLease(stored.key, leaseRevision).catch(() => undefined),
      ),
    );
  try {
    for (const sid of [...new Set(subaccountSids)].sort()) {
      taken.push(await acquireLease(deps, sid, operation, holder));
    }
  } catch (error) {
    await releaseAll();
    throw error;
  }
  try {
    return await fn(
      subaccountSids.map(
        (sid) => (taken.find(({ stored }) => stored.key === sid) as (typeof taken)[number]).stored,
      ),
    );
  } finally {
    await releaseAll();
  }
}

/**
 * Reads the record and its lease item in one request (404 for a subaccount that is not ours, and an
 * invalid item is refused, before anything is written), then writes the lease over the lease item
 * read: one more request. A change that finished between the two is seen by `fn`'s own writes, which
 * are revision-checked.
 */
async function acquireLease(deps: AdminDeps, sid: string, operation: string, holder: string) {
  const { stored, lease: held } = await deps.registry.getWithLease(sid);
  if (!stored) {
    throw new ServiceError(
      404,
      'subaccount_not_found',
      `${sid} is not a subaccount managed by this service.`,
      {
        subaccountSid: sid,
      },
    );
  }
  const now = deps.now().getTime();
  if (stored.data.status === 'provisioning') await refuseWhileCreating(deps, stored.data, now);
  const lease: SubaccountLease = {
    operation,
    holder,
    until: new Date(now + SUBACCOUNT_LEASE_MS).toISOString(),
  };
  const outcome = await deps.registry.takeLease(sid, lease, held, now);
  if ('heldBy' in outcome) throw busy(sid, outcome.heldBy, now);
  return { stored, leaseRevision: outcome.revision };
}

/**
 * A subaccount still `provisioning` is being made by a `create` call, which holds its idempotency key's
 * journal entry (creation-journal.ts) rather than this lease: while that claim lasts, it counts as the
 * lease, so a close (say) cannot release a number the create is buying. One read, for such records only.
 */
async function refuseWhileCreating(deps: AdminDeps, record: SubaccountRecord, now: number): Promise<void> {
  if (!record.idempotencyKey) return;
  const entry = await deps.journal.get(record.idempotencyKey);
  const until = entry?.data.leaseUntil;
  if (until && Date.parse(until) > now) {
    throw busy(record.sid, { operation: 'create', holder: record.idempotencyKey, until }, now);
  }
}

/** The 409 when `lease` still holds the subaccount; nothing otherwise. */
export function refuseIfLeased(sid: string, lease: SubaccountLease | undefined, now: number): void {
  if (lease && Date.parse(lease.until) > now) throw busy(sid, lease, now);
}

function busy(sid: string, lease: SubaccountLease, now: number): ServiceError {
  const until = Date.parse(lease.until);
  const retryAfterSeconds = Number.isNaN(until) ? 1 : Math.max(1, Math.ceil((until - now) / 1000));
  return conflict(
    'subaccount_busy',
    `${sid} is busy: ${lease.operation} is under way; retry in ${retryAfterSeconds} s.`,
    { subaccountSid: sid, operation: lease.operation, retryAfterSeconds },
  );
}
