import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';
import { forbidden } from '../errors/service-error';
import type { Headers } from './json-response';
import { headerValue, type RequestHeaders } from './request-input';

/**
 * CORS for the browser-facing functions: only ALLOWED_ORIGINS (and the service's own origin, which
 * serves the softphone page) get `Access-Control-Allow-Origin`, echoed exactly, never `*`. Answers
 * vary by Origin, so `Vary: Origin` is on every one, refusals included, for any cache on the way.
 */
export function corsHeaders(config: ServiceConfig, headers: RequestHeaders | undefined): Headers {
  const origin = headerValue(headers, 'origin');
  if (origin && isAllowedOrigin(config, origin)) {
    return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  }
  return { Vary: 'Origin' };
}

/**
 * A request from a page of another origin is refused before anything is done for it: the browser
 * would hide the answer from that page anyway, but a token must not even be minted for it. Requests
 * without Origin (servers, curl) are not browser cross-origin requests and pass.
 */
/**
 * The origin of the page that handed the softphone its ticket by `postMessage`, as the softphone
 * reports it (`embedder`, from the browser's `MessageEvent.origin`): it must be in ALLOWED_ORIGINS (or
 * be the service's own), so a site that frames the softphone cannot sign it in with a ticket of its
 * choosing (docs/tickets.md). 403 `embedder_not_allowed` otherwise.
 */
export function requireAllowedEmbedder(config: ServiceConfig, embedder: string | undefined): void {
  if (embedder !== undefined && !isAllowedOrigin(config, embedder)) {
    throw forbidden(
      'embedder_not_allowed',
      `${originForMessage(embedder)} may not hand the softphone a ticket: it is not in ALLOWED_ORIGINS.`,
    );
  }
}

export function requireAllowedOrigin(config: ServiceConfig, headers: RequestHeaders | undefined): void {
  const origin = headerValue(headers, 'origin');
  if (origin !== undefined && !isAllowedOrigin(config, origin)) {
    throw forbidden('origin_not_allowed', `${originForMessage(origin)} is not in ALLOWED_ORIGINS.`);
  }
}

/**
 * The admin functions answer only the service's own pages (the console at PUBLIC_BASE_URL's origin)
 * and ADMIN_ALLOWED_ORIGINS. CORS alone cannot protect them: Twilio's gateway (and twilio-run) answers
 * every preflight itself with `Access-Control-Allow-Origin: *`, so a page anywhere that holds an admin
 * key (or gets a user to paste one) can send the request; the browser would only hide the answer.
 * So a request carrying another Origin is refused before the key is even looked at. Requests without
 * Origin (servers, the CLI, curl) are not cross-origin browser requests and pass to the key check.
 */
export function requireAdminOrigin(config: ServiceConfig, headers: RequestHeaders | undefined): void {
  const origin = headerValue(headers, 'origin');
  if (
    origin !== undefined &&
    origin !== ownOrigin.of(config) &&
    !config.adminAllowedOrigins.includes(origin)
  ) {
    throw forbidden(
      'origin_not_allowed',
      `${originForMessage(origin)} may not call the admin functions: only the service's own console ` +
        'and the origins in ADMIN_ALLOWED_ORIGINS may.',
    );
  }
}

// The refusal names the origin so an operator knows what to add, but echoes only what looks like
// one: an Origin header is caller-controlled text of any length and content.
const ORIGIN_SHAPE = /^https?:\/\/[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/;

function originForMessage(origin: string): string {
  return ORIGIN_SHAPE.test(origin) ? `Origin ${origin}` : "This page's origin";
}

/**
 * Functions do not see the HTTP method, so an OPTIONS preflight arrives as an event without body. What
 * marks it is `Access-Control-Request-Method`, which browsers send only in preflights.
 */
export function isPreflight(headers: RequestHeaders | undefined): boolean {
  return headerValue(headers, 'access-control-request-method') !== undefined;
}

/** The preflight answer's own headers (with `corsHeaders` beside them): what a page may send. */
export function preflightHeaders(methods: readonly string[], requestHeaders: readonly string[]): Headers {
  return {
    'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
    'Access-Control-Allow-Headers': requestHeaders.join(', '),
    // Browsers cap this (Chromium at 2 h); 10 min keeps a changed ALLOWED_ORIGINS effective soon.
    'Access-Control-Max-Age': '600',
  };
}

// The service's own origin, parsed once per configuration rather than on every request.
const ownOrigin = perConfig((config) => new URL(config.publicBaseUrl).origin);

function isAllowedOrigin(config: ServiceConfig, origin: string): boolean {
  return config.allowedOrigins.includes(origin) || origin === ownOrigin.of(config);
}
