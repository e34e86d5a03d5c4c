import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';
import { authTokenOf, refreshedAuthToken, settledAuthToken } from './auth-token-cache';
import { isSignedWith } from './twilio-signature';
import type { WebhookParams } from './webhook-params';

// The URLs Twilio may have signed for each of our webhook paths, built once per configuration and
// path. The runtime names the path (the function's own), so there are a handful; the bound keeps it so
// regardless.
const signedUrls = perConfig(() => new Map<string, readonly string[]>());
const MAX_CACHED_PATHS = 16;

function signedUrlsOf(config: ServiceConfig, path: string): readonly string[] {
  const cache = signedUrls.of(config);
  let urls = cache.get(path);
  if (urls === undefined) {
    urls = signedUrlForms(config.publicBaseUrl, path);
    if (cache.size < MAX_CACHED_PATHS) cache.set(path, urls);
  }
  return urls;
}

/**
 * The URLs Twilio may have signed a webhook to `path` over: PUBLIC_BASE_URL + path as configured
 * first, then the same with the port written out or left off, the two forms Twilio's own validator
 * tries "as received". Nothing else is tried:
 * - no query string: Twilio requests our webhooks at the URLs we give it, and none has one (the TwiML
 *   App's Voice URL is PUBLIC_BASE_URL/voice, see admin/voice-app.ts; the callbacks are the plain
 *   paths of voice/voice-links.ts), so parameters on a query are simply more parameters, which the
 *   signature then does not cover;
 * - no normalised forms (percent-encoding, legacy query string): PUBLIC_BASE_URL is a parsed URL's
 *   `href`, already normalised, and our paths are plain ASCII.
 * So a request costs at most two HMACs per auth token tried, genuine or forged.
 */
export function signedUrlForms(publicBaseUrl: string, path: string): readonly string[] {
  const { protocol, host, hostname, port } = new URL(publicBaseUrl);
  const origin = `${protocol}//${host}`;
  // A base with credentials in it (user@host) is left as configured: Twilio would not sign it otherwise.
  if (!publicBaseUrl.startsWith(origin)) return [publicBaseUrl + path];
  const rest = publicBaseUrl.slice(origin.length) + path;
  const withoutPort = `${protocol}//${hostname}${rest}`;
  const withPort = `${protocol}//${hostname}:${port || (protocol === 'https:' ? '443' : '80')}${rest}`;
  return port ? [withPort, withoutPort] : [withoutPort, withPort];
}

export interface WebhookRequest {
  /** The account Twilio says it calls for (`AccountSid`): its auth token must have signed the request. */
  accountSid: string;
  /** The X-Twilio-Signature header; empty when missing. */
  signature: string;
  /** The Function's path, e.g. `/voice`: the signed URL is PUBLIC_BASE_URL + path. */
  path: string;
  /** The parameters Twilio posted, already checked against the caps (`webhookParamsOf`). */
  params: WebhookParams;
}

/**
 * Whether Twilio sent this request for `accountSid`: its signature must verify with that account's
 * auth token. Answered without waiting when the token is cached and verifies (every warm genuine
 * request); a promise otherwise. On a mismatch the token is fetched again, in case it was rotated since
 * it was cached, at most once per MISMATCH_REFETCH_COOLDOWN_MS per account (auth-token-cache.ts), so a
 * stream of forgeries costs two HMACs each and one Accounts read per cooldown. When that re-fetch
 * fails the request stays unverified (403): it did not verify with the token we have, and forged
 * traffic must not turn into errors while Twilio is slow. Without any token at all (the first fetch
 * failed) nothing can be decided, and the caller's error handling answers.
 */
export function isGenuineTwilioRequest(
  config: ServiceConfig,
  request: WebhookRequest,
): boolean | Promise<boolean> {
  if (!request.signature) return false;
  const urls = signedUrlsOf(config, request.path);
  const verify = (token: string) => isSignedWith(token, request.signature, urls, request.params);
  const cached = settledAuthToken(config, request.accountSid);
  if (cached !== undefined && verify(cached)) return true;
  return (async () => {
    const token = cached ?? (await authTokenOf(config, request.accountSid));
    // Each token is tried once: a cached token that just failed is not tried again.
    if (cached === undefined && verify(token)) return true;
    const rotated = await refreshedAuthToken(config, request.accountSid, token).catch(() => undefined);
    return rotated !== undefined && verify(rotated);
  })();
}
