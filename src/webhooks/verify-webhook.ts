import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';
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
  /** The X-Twilio-Signature header; empty when missing. */
  signature: string;
  /** The Function's path, e.g. `/voice`: the signed URL is PUBLIC_BASE_URL + path. */
  path: string;
  /** The parameters Twilio posted, already checked against the caps (`webhookParamsOf`). */
  params: WebhookParams;
}

/**
 * The auth tokens a request may be checked with, from the caller, which knows the account the request
 * names and how its token is kept (voice/webhook-token.ts): this module reads nothing itself.
 */
export interface SigningTokens {
  /** The token the account signs with as far as is known now; undefined when none is held. */
  current: string | undefined;
  /**
   * Asked only when `current` did not verify (or there is none): the account's token as read afresh,
   * when it differs from `current`, else undefined. The caller bounds how often this reads.
   */
  reread(): Promise<string | undefined>;
}

/**
 * Whether Twilio sent this request: its signature must verify with the auth token of the account it
 * names. Answered without waiting when `current` verifies (every warm genuine request); otherwise one
 * re-read is asked for, in case the token was rotated. A request costs at most two HMACs per token
 * tried (`signedUrlForms`), genuine or forged.
 */
export function isGenuineTwilioRequest(
  config: ServiceConfig,
  request: WebhookRequest,
  tokens: SigningTokens,
): boolean | Promise<boolean> {
  if (!request.signature) return false;
  const urls = signedUrlsOf(config, request.path);
  const verify = (token: string) => isSignedWith(token, request.signature, urls, request.params);
  if (tokens.current !== undefined && verify(tokens.current)) return true;
  return tokens.reread().then(
    (token) => token !== undefined && token !== tokens.current && verify(token),
    // Nothing to check with: the request is not shown to be genuine.
    () => false,
  );
}
