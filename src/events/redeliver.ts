import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { conflict, notFound } from '../errors/service-error';
import { runBounded, timeBudget } from '../admin/time-budget';
import type { SyncMapStore, StoredItem } from '../registry/sync-map-store';
import { deliverEvent, eventTarget, type EventTarget } from './delivery';
import type { EventDeps } from './emit';
import { EVENT_ID, type EventType } from './event';
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
/** Sync takes 20 writes/s per Map (https://www.twilio.com/docs/sync/limits): one write per 50 ms. */
const WRITE_INTERVAL_MS = 50;

export interface KeptEvent {
  id: string;
  type: EventType;
  subaccountSid: string;
  created: string;
  attempts: number;
  lastError: string;
}

export interface Redelivery {
  delivered: Omit<KeptEvent, 'attempts' | 'lastError'>[];
  /** Looked at by this call and still kept: delivery failed again, or there was no time to try. */
  pending: KeptEvent[];
  /** Pass as `cursor` to go on with the next page; absent once no kept events follow. */
  nextCursor?: string;
}

/**
 * Sends kept events again (a page, oldest first, or the one named by `eventId`), each signed afresh;
 * removes the delivered ones and records the failed attempt on the others. A delivered event whose
 * removal fails stays kept and is sent once more later: receivers drop repeats by event id.
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
  let page: { items: StoredItem<UndeliveredEvent>[]; more: boolean };
  if (parameters.eventId) {
    const one = await store.get(parameters.eventId);
    if (!one) {
      throw notFound(
        'not_found',
        `No undelivered event ${parameters.eventId}: it was delivered, or it expired a week after it was kept.`,
      );
    }
    page = { items: [one], more: false };
  } else {
    page = await store.itemsAfter(parameters.cursor, parameters.pageSize);
  }

  const write = paced(WRITE_INTERVAL_MS);
  const { results, notStarted } = await runBounded(
    page.items,
    (item) => redeliverOne(deps, target, store, item, write),
    budget,
    DELIVERY_CONCURRENCY,
  );
  const delivered = results.filter((result) => result.delivered).map((result) => summary(result.item));
  const pending = [
    ...results.filter((result) => !result.delivered).map((result) => kept(result.item)),
    ...notStarted.map((item) => kept(item.data)),
  ];
  // Items start in key order, so those not started are the last ones: the next page begins with them.
  const lastLooked = results.length > 0 ? page.items[results.length - 1]?.key : parameters.cursor;
  const nextCursor = notStarted.length > 0 ? lastLooked : page.more ? page.items.at(-1)?.key : undefined;
  return { delivered, pending, ...(nextCursor ? { nextCursor } : {}) };
}

async function redeliverOne(
  deps: EventDeps,
  target: EventTarget,
  store: SyncMapStore<UndeliveredEvent>,
  item: StoredItem<UndeliveredEvent>,
  write: () => Promise<void>,
): Promise<{ delivered: boolean; item: UndeliveredEvent }> {
  const delivery = await deliverEvent(target, item.data.event, deps.now());
  await write();
  if (delivery.delivered) {
    await store.remove(item.key).catch(() => undefined);
    return { delivered: true, item: item.data };
  }
  const retried: UndeliveredEvent = {
    ...item.data,
    attempts: item.data.attempts + 1,
    lastError: delivery.reason,
    lastAttemptAt: deps.now().toISOString(),
  };
  // Another redelivery got in first (revision conflict) or Sync failed: the attempt goes unrecorded.
  await store.replace(item.key, item.revision, retried).catch(() => undefined);
  return { delivered: false, item: retried };
}

function summary({ event }: UndeliveredEvent) {
  return { id: event.id, type: event.type, subaccountSid: event.subaccountSid, created: event.created };
}

function kept(item: UndeliveredEvent): KeptEvent {
  return { ...summary(item), attempts: item.attempts, lastError: item.lastError };
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
