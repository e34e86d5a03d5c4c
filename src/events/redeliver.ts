import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { conflict, notFound, ServiceError } from '../errors/service-error';
import { runBounded, timeBudget } from '../twilio/time-budget';
import type { InvalidItem, SyncMapStore, StoredItem } from '../registry/sync-map-store';
import { deliverEvent, eventTarget, type EventTarget } from './delivery';
import type { EventDeps } from './emit';
import { EVENT_ID, type EventType } from './event';
import { readKeptItem, type KeptItem } from './kept-event';
import { undeliveredEvents, type UndeliveredEvent } from './undelivered';

const eventId = z.string().regex(EVENT_ID, 'must be an event id: "evt_" and 25 characters');

/** Most kept events one call sends: 25 deliveries, 5 at a time, fit the time budget below. */
const MAX_PAGE_SIZE = 25;

export const redeliverParameters = z.object({
  /** One kept event; without it, a page of them, oldest first. */
  eventId: eventId.optional(),
  pageSize: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
    .default(10),
  /** `nextCursor` of the previous call: go on after the events it looked at. */
  cursor: eventId.optional(),
});

export type RedeliverParameters = z.output<typeof redeliverParameters>;

/**
 * No delivery starts once this much of the call has passed: with one delivery's 2 s timeout and the
 * Sync write after it (2.5 s at most), the call ends within 9 s of the 10 s a Function has.
 */
const REDELIVERY_BUDGET_MS = 4000;
const DELIVERY_CONCURRENCY = 5;
/**
 * Sync takes 20 writes/s per Map (https://www.twilio.com/docs/sync/limits): one write per 50 ms. A
 * redelivery writes twice per event (its claim, then its removal or its failed attempt).
 */
const WRITE_INTERVAL_MS = 50;
/**
 * How long a claim keeps other redeliveries off an event: a Function is killed after 10 s, so past
 * this nobody is still sending it and the next call may try again.
 */
const CLAIM_MS = 10_000;

export interface KeptEvent {
  id: string;
  type: EventType;
  subaccountSid: string;
  created: string;
  attempts: number;
  lastError: string;
}

/** A kept item that is not sent: it does not verify (not the service's write) or does not parse. */
export interface RefusedEvent {
  /** Its key in the Map. */
  key: string;
  /** `map/key` */
  item: string;
  message: string;
}

export interface Redelivery {
  delivered: Omit<KeptEvent, 'attempts' | 'lastError'>[];
  /**
   * Looked at by this call and still kept: delivery failed again, another redelivery is sending it,
   * or there was no time to try.
   */
  pending: KeptEvent[];
  /** Items never sent, named (absent when there are none): an operator removes them. */
  refused?: RefusedEvent[];
  /** Pass as `cursor` to go on with the next page; absent once no kept events follow. */
  nextCursor?: string;
}

/**
 * Sends kept events again (a page, oldest first, or the one named by `eventId`): the bytes first
 * posted, signed afresh, only for items whose MAC verifies; removes the delivered ones and records
 * the failed attempt on the others. Each event is claimed (a revision-checked write) before it is
 * sent, so calls running at once send it once between them. A delivered event whose removal fails
 * stays kept and is sent once more later: receivers drop repeats by event id. Items that do not verify
 * or parse are named in `refused`, and the page goes on.
 */
export async function redeliverEvents(deps: EventDeps, parameters: RedeliverParameters): Promise<Redelivery> {
  const budget = timeBudget(REDELIVERY_BUDGET_MS);
  const target = eventTarget(deps.config);
  if (!target) {
    throw conflict(
      'events_not_configured',
      'No events are posted: set EVENTS_WEBHOOK_URL and EVENTS_WEBHOOK_SECRET, then redeliver.',
    );
  }
  const store = undeliveredEvents(deps.config);
  const page = await keptPage(store, parameters);
  const refused: RefusedEvent[] = page.invalid.map(({ key, item, reason }) => ({
    key,
    item,
    message: `Not sent: ${reason}.`,
  }));
  const readable: { stored: StoredItem<UndeliveredEvent>; read: KeptItem }[] = [];
  for (const stored of page.items) {
    const read = readKeptItem(stored.key, stored.data);
    if ('refused' in read) {
      refused.push({
        key: stored.key,
        item: store.nameOf(stored.key),
        message: `Not sent: ${read.refused}.`,
      });
    } else {
      readable.push({ stored, read });
    }
  }

  const write = paced(WRITE_INTERVAL_MS);
  const { results, notStarted } = await runBounded(
    readable,
    (entry) => redeliverOne(deps, target, store, entry, write),
    budget,
    DELIVERY_CONCURRENCY,
  );
  const delivered = results.filter((result) => result.delivered).map((result) => summary(result.read));
  const pending = [
    ...results.filter((result) => !result.delivered).map((result) => kept(result.read)),
    ...notStarted.map((entry) => kept(entry.read)),
  ];
  // Items start in key order, so those not started are the last ones: the next page begins with them.
  const lastLooked = results.length > 0 ? readable[results.length - 1]?.stored.key : parameters.cursor;
  const nextCursor = notStarted.length > 0 ? lastLooked : page.more ? page.lastKey : undefined;
  return {
    delivered,
    pending,
    ...(refused.length > 0 ? { refused } : {}),
    ...(nextCursor ? { nextCursor } : {}),
  };
}

/** The page of kept items asked for, verified ones apart from those that are not. */
async function keptPage(
  store: SyncMapStore<UndeliveredEvent>,
  parameters: RedeliverParameters,
): Promise<{
  items: StoredItem<UndeliveredEvent>[];
  invalid: InvalidItem[];
  more: boolean;
  lastKey?: string;
}> {
  if (!parameters.eventId) {
    const page = await store.itemsAfter(parameters.cursor, parameters.pageSize);
    const keys = [...page.items.map((item) => item.key), ...page.invalid.map((item) => item.key)].sort();
    return { ...page, lastKey: keys.at(-1) };
  }
  const key = parameters.eventId;
  try {
    const one = await store.get(key);
    if (one) return { items: [one], invalid: [], more: false };
  } catch (error) {
    if (!(error instanceof ServiceError && error.code === 'registry_item_invalid')) throw error;
    const reason = 'its MAC does not verify (not written by this service, or changed since)';
    return {
      items: [],
      invalid: [{ key, item: store.nameOf(key), fault: 'mac_mismatch', reason }],
      more: false,
    };
  }
  throw notFound(
    'not_found',
    `No undelivered event ${key}: it was delivered, or it expired a week after it was kept.`,
  );
}

/**
 * Claims the event (a revision-checked write: of calls that read the same revision, one wins), sends
 * its bytes, then removes it or records the failed attempt, each write on the claim's revision. An
 * event another call holds a live claim on, or wins the claim of, is left to that call.
 */
async function redeliverOne(
  deps: EventDeps,
  target: EventTarget,
  store: SyncMapStore<UndeliveredEvent>,
  { stored, read }: { stored: StoredItem<UndeliveredEvent>; read: KeptItem },
  write: () => Promise<void>,
): Promise<{ delivered: boolean; read: KeptItem }> {
  const now = deps.now();
  const busy = (): { delivered: false; read: KeptItem } => ({
    delivered: false,
    read: { ...read, kept: { ...read.kept, lastError: 'another redelivery is sending it' } },
  });
  const claimedUntil = read.kept.claimedUntil ? Date.parse(read.kept.claimedUntil) : 0;
  if (claimedUntil > now.getTime()) return busy();
  await write();
  const claimed: UndeliveredEvent = {
    ...read.kept,
    claimedUntil: new Date(now.getTime() + CLAIM_MS).toISOString(),
  };
  let claim: StoredItem<UndeliveredEvent>;
  try {
    claim = await store.replace(stored.key, stored.revision, claimed, { after: [stored.version] });
  } catch (error) {
    // Another call claimed it first, or has already delivered and removed it.
    if (error instanceof ServiceError && (error.code === 'revision_conflict' || error.status === 404)) {
      return busy();
    }
    throw error;
  }
  const delivery = await deliverEvent(target, read.kept.body, deps.now());
  await write();
  if (delivery.delivered) {
    await store.remove(stored.key, claim.revision).catch(() => undefined);
    return { delivered: true, read };
  }
  const retried: UndeliveredEvent = {
    ...read.kept,
    attempts: read.kept.attempts + 1,
    lastError: delivery.reason,
    lastAttemptAt: deps.now().toISOString(),
    claimedUntil: null,
  };
  // Sync failed: the attempt goes unrecorded, and the claim lapses on its own.
  await store.replace(stored.key, claim.revision, retried, { after: [claim.version] }).catch(() => undefined);
  return { delivered: false, read: { ...read, kept: retried } };
}

function summary({ event }: KeptItem) {
  return { id: event.id, type: event.type, subaccountSid: event.subaccountSid, created: event.created };
}

function kept(read: KeptItem): KeptEvent {
  return { ...summary(read), attempts: read.kept.attempts, lastError: read.kept.lastError };
}

/** Resolves each call at least `intervalMs` after the previous one. */
function paced(intervalMs: number): () => Promise<void> {
  let next = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + intervalMs;
    if (at > now) await sleep(at - now);
  };
}
