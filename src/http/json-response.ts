import type { TwilioResponse } from '@twilio-labs/serverless-runtime-types/types';
import type { ServiceError } from '../errors/service-error';

export type Headers = Record<string, string>;

/** A JSON answer as a Functions `Twilio.Response`; never cached, since answers hold live state. */
export function jsonResponse(status: number, body: unknown, headers: Headers = {}): TwilioResponse {
  const response = new Twilio.Response();
  response.setStatusCode(status);
  response.setHeaders({
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  response.setBody(body as object);
  return response;
}

/** The one error shape of every JSON answer: `{ "error": { "code", "message", ...details } }`. */
export function errorResponse(error: ServiceError, headers: Headers = {}): TwilioResponse {
  // A 503 means Twilio kept answering 429 through our retries: tell the caller when to try again.
  const extra: Headers = error.status === 503 ? { 'Retry-After': '2' } : {};
  return jsonResponse(
    error.status,
    { error: { code: error.code, message: error.message, ...error.details } },
    { ...extra, ...headers },
  );
}
