import type { Context, ServerlessCallback } from '@twilio-labs/serverless-runtime-types/types';
import { loadConfig, type ServiceConfig } from '../config/config';
import { ServiceError, isServiceError } from '../errors/service-error';
import { logger } from '../log/logger';
import { fromTwilioError, isTwilioRestError } from '../twilio/rest-errors';
import { requireAdmin } from './admin-auth';
import { requireAdminOrigin } from './cors';
import { errorResponse, jsonResponse, type Headers } from './json-response';
import type { FunctionEvent } from './request-input';

export interface JsonRequest {
  config: ServiceConfig;
  event: FunctionEvent;
  context: Context;
}

export interface JsonAnswer {
  status?: number;
  body: unknown;
  headers?: Headers;
}

type JsonHandler = (request: JsonRequest) => Promise<JsonAnswer>;

export interface JsonFunctionOptions {
  /** Headers for every answer, errors included (CORS: a browser can only read a 401 that carries them). */
  headers?: (request: JsonRequest) => Headers;
}
export type FunctionHandler = (
  context: Context,
  event: FunctionEvent,
  callback: ServerlessCallback,
) => Promise<void>;

const log = logger('http');

/**
 * Wraps the logic of a JSON function into a Functions handler: loads the configuration, runs the
 * logic, and answers every failure as the JSON error shape. Unknown errors are logged (redacted) and
 * answered as a plain 500, so no stack trace or internal detail ever reaches a caller.
 */
export function jsonFunction(
  name: string,
  handle: JsonHandler,
  options: JsonFunctionOptions = {},
): FunctionHandler {
  return async (context, event, callback) => {
    let shared: Headers = {};
    try {
      const config = loadConfig(context);
      const request = { config, event, context };
      shared = options.headers?.(request) ?? {};
      const answer = await handle(request);
      callback(null, jsonResponse(answer.status ?? 200, answer.body, { ...shared, ...answer.headers }));
    } catch (error) {
      callback(null, errorResponse(asServiceError(name, error), shared));
    }
  };
}

/**
 * A JSON function that first requires an allowed Origin, if the request has one (403
 * `origin_not_allowed`), then a valid admin key (401); nothing is done for a request refused either way.
 */
export function adminFunction(name: string, handle: JsonHandler): FunctionHandler {
  return jsonFunction(name, async (request) => {
    requireAdminOrigin(request.config, request.event.request?.headers);
    requireAdmin(request.event.request?.headers, request.config);
    return handle(request);
  });
}

function asServiceError(name: string, error: unknown): ServiceError {
  if (isServiceError(error)) {
    if (error.status >= 500) log.error(`${name}: ${error.code}: ${error.message}`);
    return error;
  }
  if (isTwilioRestError(error)) return asServiceError(name, fromTwilioError(error, name));
  log.error(`${name}: unexpected error`, { error: describe(error) });
  return new ServiceError(
    500,
    'internal_error',
    'The service failed unexpectedly; the error is in its logs.',
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
