/**
 * The operation record: what every lifecycle change of a subaccount (create, adopt, update, suspend,
 * reactivate, close, rotate-key, a number transfer, connect) writes while it works and when it is done,
 * for both of the things a lifecycle change needs:
 * - mutual exclusion: one change at a time per subaccount. A record `in_progress` whose `expiresAt` has
 *   not passed holds the subaccount; another change is refused (409 `subaccount_busy`) with when to retry.
 * - retry-safety: the record carries the idempotency key and a hash of the payload, what the change has
 *   done so far (`progress`, so a retry resumes there), and, once `completed`, the result a retry with the
 *   same key and payload is answered with (the same key with another payload is refused).
 * Modelled on the idempotency record of AWS Powertools for Lambda (key, payload hash, status
 * INPROGRESS / COMPLETED / EXPIRED, expiry, response data):
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/ . As there, `expired`
 * is not written: a record is expired once its `expiresAt` has passed.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The one lease length of every lifecycle change. A Function is killed after 10 s
 * (https://www.twilio.com/docs/serverless/functions-assets/functions/limitations), so past this the
 * holder of a record `in_progress` cannot still be working: a record left by a killed call lapses by
 * itself and a retry takes over.
 */
export const OPERATION_LEASE_MS = 12_000;

/**
 * How long a completed change with an idempotency key is answered from its record: a retry comes soon
 * after its call (a lost answer, a double click). Past this the key may be used afresh.
 */
export const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Completed changes kept for replay beside the current one, newest first. */
export const MAX_EARLIER_RECEIPTS = 5;

/**
 * The largest result kept for replay (bytes of its JSON): with MAX_EARLIER_RECEIPTS of them and the
 * progress of a create (an encrypted key secret, a few SIDs) the record stays far inside Sync's 16 KiB
 * per item (54006, https://www.twilio.com/docs/sync/limits).
 */
export const MAX_RESULT_BYTES = 1024;

export type OperationStatus = 'in_progress' | 'completed';
/** What a reader makes of a record at a given time: `expired` once its `expiresAt` has passed. */
export type OperationState = OperationStatus | 'expired';

/** A completed change kept so that its retry is answered, not redone. */
export interface OperationReceipt {
  operation: string;
  key: string;
  payloadHash: string;
  expiresAt: string;
  result?: unknown;
}

export interface OperationRecord extends OperationReceipt {
  status: OperationStatus;
  /** What the change has done so far, by step: a retry with the same key resumes from it. */
  progress: Record<string, unknown>;
  /** Earlier completed changes of the same subject still answered on retry (MAX_EARLIER_RECEIPTS). */
  earlier?: OperationReceipt[];
}

const text = (max: number) => z.string().max(max);
const receiptSchema = z.object({
  operation: text(40),
  key: text(64),
  payloadHash: text(64),
  expiresAt: text(40),
  result: z.unknown().optional(),
});

export const operationRecordSchema = receiptSchema.extend({
  status: z.enum(['in_progress', 'completed']),
  progress: z.record(z.string(), z.unknown()),
  earlier: z.array(receiptSchema).max(MAX_EARLIER_RECEIPTS).optional(),
});

export function stateOf(record: Pick<OperationRecord, 'status' | 'expiresAt'>, now: number): OperationState {
  return Date.parse(record.expiresAt) > now ? record.status : 'expired';
}

/** The receipt answering a retry with `key`, if one is still kept. */
export function receiptFor(
  record: OperationRecord | undefined,
  key: string,
  now: number,
): OperationReceipt | undefined {
  if (!record) return undefined;
  const kept = [record.status === 'completed' ? record : undefined, ...(record.earlier ?? [])];
  return kept.find((receipt) => receipt?.key === key && Date.parse(receipt.expiresAt) > now);
}

/** A stable hash of a payload: keys in sorted order, undefined fields left out. */
export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(stableJson(payload)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([name, field]) => `${JSON.stringify(name)}:${stableJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
