import { createHmac } from 'node:crypto';

/** The header carrying an event's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'X-Voice-Service-Signature';

/**
 * The signature of one delivery of `body`, made the way Stripe signs its webhooks
 * (https://docs.stripe.com/webhooks#verify-manually): the timestamp is signed with the body, so a
 * receiver that refuses old timestamps (docs/events.md, 5 minutes) cannot be fed a replayed request.
 */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  const hmac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${hmac}`;
}
