import type { AxiosError } from 'axios';
import type RequestClient from 'twilio/lib/base/RequestClient';
import {
  MAX_429_RETRIES,
  MAX_CONNECTION_RETRIES,
  MAX_RETRY_DELAY_MS,
  MAX_SOCKETS_PER_HOST,
  REQUEST_TIMEOUT_MS,
  TWILIO_HOST_HEADER,
} from './rest-settings';

/**
 * Builds the `twilio` library's own HTTP client (429 auto-retry with jittered backoff, timeouts, a
 * keep-alive agent) and adds what it lacks:
 * - a read whose connection failed before any answer is sent again once, on a new connection (see
 *   `isRetryableRead`);
 * - when `apiBaseUrl` is set, every request goes there instead: same path and query, original host in
 *   `X-Twilio-Host`. This is how the sandbox (and outside contract checks) stand in for Twilio.
 * `timeoutMs` is REQUEST_TIMEOUT_MS but for such a stand-in (config.ts, TWILIO_REQUEST_TIMEOUT_MS).
 */
export function createRequestClient(
  apiBaseUrl: string | undefined,
  timeoutMs: number = REQUEST_TIMEOUT_MS,
): RequestClient {
  // Loaded on first use: the REST stack is heavy and warm webhook paths never need it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const RequestClientClass: typeof RequestClient = require('twilio/lib/base/RequestClient');
  const { default: axiosRetry, isNetworkError }: typeof import('axios-retry') = require('axios-retry');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const options = {
    timeout: timeoutMs,
    autoRetry: true,
    maxRetries: MAX_429_RETRIES,
    maxRetryDelay: MAX_RETRY_DELAY_MS,
    maxSockets: MAX_SOCKETS_PER_HOST,
  };
  let client: RequestClient;
  if (apiBaseUrl) {
    const base = new URL(apiBaseUrl);
    class RoutedRequestClient extends RequestClientClass {
      override request<TData>(opts: RequestClient.RequestOptions<TData>) {
        return super.request({ ...opts, ...rerouted(opts.uri, opts.headers, base) });
      }
    }
    client = new RoutedRequestClient(options);
  } else {
    client = new RequestClientClass(options);
  }
  // The retry shares the request's timeout (axios-retry's default): the Functions time limit holds.
  axiosRetry(client.axios, {
    retries: MAX_CONNECTION_RETRIES,
    retryCondition: (error) => isRetryableRead(error, isNetworkError),
  });
  return client;
}

/**
 * A GET that got no answer because its connection failed (reset, refused), not because it timed out.
 * The usual cause is a kept-alive socket that the server closed while it sat idle (or while a Function
 * was frozen between invocations): the request never reached Twilio, and a read is safe to send again.
 * Writes are not resent: a reset can also come after Twilio applied one, and creating twice is worse
 * than an error the caller can retry with its idempotency key.
 */
export function isRetryableRead(error: AxiosError, isNetworkError: (error: AxiosError) => boolean): boolean {
  return error.config?.method?.toLowerCase() === 'get' && isNetworkError(error);
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
