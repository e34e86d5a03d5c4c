import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';
import { authTokenOf, refreshedAuthToken, settledAuthToken } from './auth-token-cache';
import { isSignedWith } from './twilio-signature';

// The URL Twilio signed for each of our webhook paths, built once per configuration and path. The
// runtime names the path (the function's own), so there are a handful; the bound keeps it so regardless.
const signedUrls = perConfig(() => new Map<string, string>());
const MAX_CACHED_PATHS = 16;

function signedUrl(config: ServiceConfig, path: string): string {
  const urls = signedUrls.of(config);
  let url = urls.get(path);
  if (url === undefined) {
    url = config.publicBaseUrl + path;
    if (urls.size < MAX_CACHED_PATHS) urls.set(path, url);
  }
  return url;
}

export interface WebhookRequest {
  /** The account Twilio says it calls for (`AccountSid`): its auth token must have signed the request. */
  accountSid: string;
  /** The X-Twilio-Signature header; empty when missing. */
  signature: string;
  /** The Function's path, e.g. `/voice`: the signed URL is PUBLIC_BASE_URL + path (+ query). */
  path: string;
  /** The event as the runtime built it (query and body merged, plus `request`). */
  event: Record<string, unknown>;
}

/**
 * Whether Twilio sent this request for `accountSid`: its signature must verify with that account's
 * auth token. On a mismatch the token is fetched again once, in case it was rotated since it was cached.
 * When that re-fetch fails the request stays unverified (403): it did not verify with the token we
 * have, and forged traffic must not turn into errors while Twilio is slow. Without any token at all
 * (the first fetch failed) nothing can be decided, and the caller's error handling answers.
 */
export async function isGenuineTwilioRequest(
  config: ServiceConfig,
  request: WebhookRequest,
): Promise<boolean> {
  if (!request.signature) return false;
  const url = signedUrl(config, request.path);
  const verify = (token: string) => isSignedWith(token, request.signature, url, request.event);
  const token = await authTokenOf(config, request.accountSid);
  if (verify(token)) return true;
  const rotated = await refreshedAuthToken(config, request.accountSid, token).catch(() => undefined);
  return rotated !== undefined && verify(rotated);
}

/**
 * The warm path of `isGenuineTwilioRequest`, without waiting on anything: true when the request
 * verifies with the account's cached token. False means only "not shown here": with no cached token,
 * or on a mismatch that may be a rotation, `isGenuineTwilioRequest` decides.
 */
export function verifiesWithCachedToken(config: ServiceConfig, request: WebhookRequest): boolean {
  const token = request.signature ? settledAuthToken(config, request.accountSid) : undefined;
  return (
    token !== undefined &&
    isSignedWith(token, request.signature, signedUrl(config, request.path), request.event)
  );
}
