import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { FunctionCall } from './function-runtime';

export interface WebhookCall {
  env: Record<string, string>;
  /** The Function's path, e.g. `/voice`. */
  path: string;
  /** The POSTed parameters. */
  params: Record<string, string | string[]>;
  /** Parameters on the URL's query string (signed as part of the URL). */
  query?: Record<string, string>;
  /** The auth token to sign with; null sends no signature. */
  authToken: string | null;
}

/**
 * An in-process call of a webhook Function as Twilio makes it: the signature is computed the way
 * Twilio computes it, over PUBLIC_BASE_URL + path (+ query) and the POSTed parameters.
 */
export function signedWebhookCall({ env, path, params, query, authToken }: WebhookCall): FunctionCall {
  const search = query ? `?${new URLSearchParams(query).toString()}` : '';
  const url = `${env.PUBLIC_BASE_URL}${path}${search}`;
  const headers: Record<string, string> = authToken
    ? { 'X-Twilio-Signature': getExpectedTwilioSignature(authToken, url, params) }
    : {};
  return { env, path, query: query ?? {}, body: params, headers };
}

/** The parameters Twilio posts for a new call (a subset of the real list; enough to route it). */
export function callParams(fields: {
  accountSid: string;
  from: string;
  to: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    AccountSid: fields.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: 'CA0123456789abcdef0123456789abcdef',
    CallStatus: 'ringing',
    Direction: 'inbound',
    From: fields.from,
    To: fields.to,
    ...fields.extra,
  };
}
