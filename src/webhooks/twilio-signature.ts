// The validator module alone: the `twilio` package root would load the whole REST client (slow cold start).
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { postedParamsOf, queryCandidates } from './signed-request';

/**
 * Whether `signature` (the X-Twilio-Signature header) was made with `authToken` for this request to
 * `url` (public base URL + the Function's path). Checked with Twilio's own validator, which also tries
 * the URL with and without its default port; see signed-request.ts for how the query is recovered.
 */
export function isSignedWith(
  authToken: string,
  signature: string,
  url: string,
  event: Record<string, unknown>,
): boolean {
  if (!signature) return false;
  // The common case first, and without a generator (this runs on every warm request): everything
  // posted, no query.
  const allPosted = postedParamsOf(event);
  if (allPosted && validateRequest(authToken, signature, url, allPosted)) return true;
  for (const candidate of queryCandidates(url, event)) {
    if (validateRequest(authToken, signature, candidate.url, candidate.params)) return true;
  }
  return false;
}
