import type RequestClient from 'twilio/lib/base/RequestClient';
import { MAX_429_RETRIES, MAX_RETRY_DELAY_MS, REQUEST_TIMEOUT_MS, TWILIO_HOST_HEADER } from './rest-settings';

/**
 * Builds the `twilio` library's own HTTP client (429 auto-retry with jittered backoff, timeouts) and,
 * when `apiBaseUrl` is set, sends every request there instead: same path and query, original host in
 * `X-Twilio-Host`. This is how the sandbox (and outside contract checks) stand in for Twilio.
 */
export function createRequestClient(apiBaseUrl: string | undefined): RequestClient {
  // Loaded on first use: the REST stack is heavy and warm webhook paths never need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestClientClass: typeof RequestClient = require('twilio/lib/base/RequestClient');
  const options = {
    timeout: REQUEST_TIMEOUT_MS,
    autoRetry: true,
    maxRetries: MAX_429_RETRIES,
    maxRetryDelay: MAX_RETRY_DELAY_MS,
  };
  if (!apiBaseUrl) return new RequestClientClass(options);

  const base = new URL(apiBaseUrl);
  class RoutedRequestClient extends RequestClientClass {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      return super.request({ ...opts, ...rerouted(opts.uri, opts.headers, base) });
    }
  }
  return new RoutedRequestClient(options);
}

/** The URI and headers of a request aimed at `https://<host>.twilio.com/...`, redirected to `base`. */
export function rerouted(
  uri: string,
  headers: Record<string, string> | undefined,
  base: URL,
): { uri: string; headers: Record<string, string> } {
  const original = new URL(uri);
  const basePath = base.pathname.endsWith('/') ? base.pathname.slice(0, -1) : base.pathname;
  const target = new URL(base.href);
  target.pathname = basePath + original.pathname;
  target.search = original.search;
  return { uri: target.href, headers: { ...headers, [TWILIO_HOST_HEADER]: original.host } };
}
