import type { ServiceConfig } from '../config/config';
import type { ServiceEvent } from './event';
import { SIGNATURE_HEADER, signatureHeader } from './signature';

/**
 * How long one delivery may take. A Function is killed after 10 s and Twilio waits for the voice
 * callbacks' TwiML: a receiver that hangs costs a request at most this much, and the event is kept for
 * `/admin/events/redeliver` instead.
 */
export const DELIVERY_TIMEOUT_MS = 2000;

/** Where events go and what signs them; undefined when the service posts no events. */
export interface EventTarget {
  url: string;
  secret: string;
}

export function eventTarget(config: ServiceConfig): EventTarget | undefined {
  const { eventsWebhookUrl: url, eventsWebhookSecret: secret } = config;
  return url && secret ? { url, secret } : undefined;
}

export type Delivery = { delivered: true } | { delivered: false; reason: string };

/** The bytes an event is posted as, the first time and on every redelivery. */
export const eventBody = (event: ServiceEvent): string => JSON.stringify(event);

/**
 * Posts `body` (an event's `eventBody`), signed now (a redelivery is signed afresh over the same
 * bytes, so its timestamp is within the receiver's replay window). Delivered means a 2xx answer within
 * DELIVERY_TIMEOUT_MS; a redirect is not followed, since the signature was made for this URL. Never
 * throws.
 */
export async function deliverEvent(target: EventTarget, body: string, now: Date): Promise<Delivery> {
  try {
    const answer = await fetch(target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'subaccount-voice-service/events',
        [SIGNATURE_HEADER]: signatureHeader(target.secret, body, now),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    // The receiver's body is of no use; dropping it frees the connection.
    await answer.body?.cancel().catch(() => undefined);
    if (answer.status >= 200 && answer.status < 300) return { delivered: true };
    return { delivered: false, reason: `the receiver answered HTTP ${answer.status}` };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      delivered: false,
      reason: timedOut
        ? `the receiver did not answer within ${DELIVERY_TIMEOUT_MS} ms`
        : 'the receiver could not be reached',
    };
  }
}
