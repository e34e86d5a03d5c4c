import type { ServiceConfig } from '../config/config';
import { logger } from '../log/logger';
import { deliverEvent, eventBody, eventTarget } from './delivery';
import { newEvent, type EventData, type EventType } from './event';
import { keepUndelivered } from './undelivered';

/** What emitting needs; `AdminDeps` is one. */
export interface EventDeps {
  config: ServiceConfig;
  now: () => Date;
}

const log = logger('events');

/**
 * Tells the company's back-end that something happened, when EVENTS_WEBHOOK_URL is set: one signed
 * POST within the request (an invocation ends as soon as it answers, so nothing may be left running:
 * https://www.twilio.com/docs/serverless/functions-assets/faq), at most DELIVERY_TIMEOUT_MS (2 s) of the 10 s a Function has; when it fails, one Sync write keeps the
 * event for `/admin/events/redeliver` (one write per failed event, against Sync's 20 writes/s per Map;
 * a 429 is retried by the Twilio client). Never throws: what the caller did has happened, whether or
 * not the back-end heard of it. An event that cannot even be kept is logged (id and type) as lost.
 *
 * For lifecycle changes, `emitSubaccountEvent` (subaccount-events.ts) builds the data.
 */
export async function emitEvent(
  deps: EventDeps,
  type: EventType,
  subaccountSid: string,
  data: EventData,
): Promise<void> {
  const target = eventTarget(deps.config);
  if (!target) return;
  const event = newEvent(type, subaccountSid, data, deps.now());
  const body = eventBody(event);
  try {
    const delivery = await deliverEvent(target, body, deps.now());
    if (delivery.delivered) return;
    log.debug('event not delivered; keeping it for redelivery', { id: event.id, reason: delivery.reason });
    if (!(await keepUndelivered(deps.config, event, body, delivery.reason, deps.now()))) {
      log.error('event too large to keep for redelivery: lost', { id: event.id, type });
    }
  } catch (error) {
    log.error('event not delivered and not kept for redelivery: lost', {
      id: event.id,
      type,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
