import { timingSafeEqual } from 'node:crypto';
// The signing module alone: the `twilio` package root would load the whole REST client (slow cold start).
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { WebhookParams } from './webhook-params';

/**
 * Whether `signature` (the X-Twilio-Signature header) was made with `authToken` over one of `urls`
 * and the posted `params`, computed with Twilio's own signing function: one HMAC-SHA1 per URL, so a
 * request costs at most `urls.length` HMACs over at most MAX_WEBHOOK_CHARS, whether it verifies or
 * not. (Twilio's `validateRequest` would also try four normalised URL forms, six HMACs for a forgery
 * against one for a genuine request; our URLs are normalised already, see `signedUrlForms`.)
 */
export function isSignedWith(
  authToken: string,
  signature: string,
  urls: readonly string[],
  params: WebhookParams,
): boolean {
  if (!signature) return false;
  const presented = Buffer.from(signature);
  return urls.some((url) => {
    const expected = Buffer.from(getExpectedTwilioSignature(authToken, url, params));
    // The expected length is fixed by the algorithm, so checking it first reveals nothing.
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  });
}
