import type { ServerlessEventObject } from '@twilio-labs/serverless-runtime-types/types';
import { invalidParameter } from '../errors/service-error';

export type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * The event exactly as the Functions runtime hands it over: query and body merged, plus `request` (the
 * headers and cookies), the only key the runtime adds, deployed
 * (https://www.twilio.com/docs/serverless/functions-assets/functions/headers-and-cookies) and in
 * twilio-run (`constructEvent` of @twilio/runtime-handler's dev runtime).
 */
export type FunctionEvent = ServerlessEventObject<
  Record<string, unknown>,
  RequestHeaders,
  Record<string, string>
>;

// Keys that could reach an object's prototype if they were ever copied with a plain assignment.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The caller's parameters (form fields, JSON body and query, as the runtime merged them) without the
 * runtime's `request` entry, in an object with no prototype.
 */
export function readParameters(event: FunctionEvent): Record<string, unknown> {
  const parameters: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(event)) {
    if (key === 'request') continue;
    if (FORBIDDEN_KEYS.has(key)) throw invalidParameter(key, 'is not allowed as a parameter name');
    parameters[key] = event[key];
  }
  return parameters;
}

/**
 * A header's single value; the runtime gives repeated headers as arrays. Text only: the runtime merges
 * the body over its own `request` entry, so a JSON body can put any value where the headers should be.
 */
export function headerValue(headers: RequestHeaders | undefined, name: string): string | undefined {
  const value: unknown = headers?.[name.toLowerCase()];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The credential of an `Authorization: Bearer <credential>` header, if the request has one. */
export function bearerCredential(headers: RequestHeaders | undefined): string | undefined {
  return BEARER.exec(headerValue(headers, 'authorization') ?? '')?.[1];
}
