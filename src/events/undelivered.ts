import type { ServiceConfig } from '../config/config';
import { SyncMapStore } from '../registry/sync-map-store';
import { twilioClients } from '../twilio/clients';
import type { ServiceEvent } from './event';

/** Sync Map (unique name), next to the registry, holding one item per event not delivered yet. */
export const UNDELIVERED_EVENTS_MAP = 'undelivered-events';

/**
 * Sync deletes a kept event this long after it was kept, so a receiver that stays down cannot make
 * the map grow for ever (https://www.twilio.com/docs/sync/api/map-item-resource, `ItemTtl`); a week
 * leaves time to notice and redeliver.
 */
export const KEEP_SECONDS = 7 * 24 * 3600;

/**
 * A kept event is a few hundred bytes (events carry identifiers and numbers only); anything near
 * Sync's 16 KiB per item (https://www.twilio.com/docs/sync/limits) would be refused, so it is not kept.
 */
export const MAX_KEPT_BYTES = 15 * 1024;

/**
 * A kept event. `body` is the exact JSON that was first posted (`deliverEvent`): a redelivery posts
 * these bytes again, and nothing else, and only once the item's MAC (the store's seal, item-seal.ts)
 * shows the service wrote them, so an item written into the Map by anyone else is never sent with a
 * valid signature.
 */
export interface UndeliveredEvent {
  body: string;
  /** Deliveries tried so far, the first one included. */
  attempts: number;
  /** Why the last one failed, in words (no secret: a status or "timed out"). */
  lastError: string;
  lastAttemptAt: string;
  /** Set while a redelivery is sending it (claimed before sending): nobody else sends it until then. */
  claimedUntil?: string | null;
}

/** Kept events, keyed by event id (ids sort oldest first); every item sealed by the store. */
export function undeliveredEvents(config: ServiceConfig): SyncMapStore<UndeliveredEvent> {
  return new SyncMapStore<UndeliveredEvent>(
    twilioClients(config).main,
    config.syncServiceSid,
    UNDELIVERED_EVENTS_MAP,
    config.registryKeys,
  );
}

/** Keeps an event whose first delivery failed; false when it is too large to keep. */
export async function keepUndelivered(
  config: ServiceConfig,
  event: ServiceEvent,
  body: string,
  lastError: string,
  now: Date,
): Promise<boolean> {
  const item: UndeliveredEvent = { body, attempts: 1, lastError, lastAttemptAt: now.toISOString() };
  if (Buffer.byteLength(JSON.stringify(item)) > MAX_KEPT_BYTES) return false;
  await undeliveredEvents(config).create(event.id, item, KEEP_SECONDS);
  return true;
}
