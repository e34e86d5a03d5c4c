/**
 * Runs a Function handler in-process with the context and event the Functions runtime would build.
 * The event and the Response class are Twilio's own (from @twilio/runtime-handler's dev runtime), so
 * query and body are merged, header names lower-cased and restricted headers removed exactly as there.
 * The answers of admin functions are held to docs/openapi.json (admin-contract.ts).
 */
import path from 'node:path';
import type { FunctionHandler } from '../src/http/json-function';
import type { FunctionEvent } from '../src/http/request-input';
import { adminPathOf, expectDescribedAnswer, textAnswerProblems } from './admin-contract';

export interface FunctionCall {
  env: Record<string, string>;
  path?: string;
  query?: Record<string, unknown>;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
}

export interface FunctionAnswer {
  statusCode: number;
  headers: Record<string, unknown>;
  /** The body as the runtime would send it: objects as JSON text, TwiML as XML text. */
  text: string;
  json<T = Record<string, unknown>>(): T;
  /** A binary body (audio) as sent; absent for text. */
  bytes?: Buffer;
}

// The package exports only its dev server; its route and response modules sit beside it.
const devRuntime = path.dirname(require.resolve('@twilio/runtime-handler/dev'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { constructEvent } = require(path.join(devRuntime, 'route')) as {
  constructEvent: (request: unknown) => unknown;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Response } = require(path.join(devRuntime, 'internal/response')) as {
  Response: new () => object;
};

(globalThis as unknown as { Twilio: { Response: typeof Response } }).Twilio = { Response };

export function invokeFunction(handler: FunctionHandler, call: FunctionCall): Promise<FunctionAnswer> {
  const rawHeaders = Object.entries(call.headers ?? {}).flat();
  const event = constructEvent({
    rawHeaders,
    query: call.query ?? {},
    body: call.body ?? {},
    cookies: call.cookies ?? {},
  }) as FunctionEvent;
  const context = {
    ...call.env,
    DOMAIN_NAME: new URL(call.env.PUBLIC_BASE_URL ?? 'https://localhost').host,
    PATH: call.path ?? '/',
    SERVICE_SID: undefined,
    ENVIRONMENT_SID: undefined,
    getTwilioClient: () => {
      throw new Error('Service code must use src/twilio/clients, not context.getTwilioClient()');
    },
  };
  return new Promise((resolve, reject) => {
    const callback = (error: unknown, payload?: unknown) => {
      if (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const answer = toAnswer(payload);
      const adminPath = adminPathOf(handler);
      try {
        // An admin answer must be one docs/openapi.json describes; the test that got it fails otherwise.
        const contentType = String(answer.headers['Content-Type'] ?? '');
        if (adminPath && !contentType.startsWith('application/json')) {
          const problems = textAnswerProblems(adminPath, answer.statusCode, contentType);
          if (problems.length > 0) throw new Error(problems.join('\n'));
        } else if (adminPath) expectDescribedAnswer(adminPath, answer.statusCode, answer.json());
        resolve(answer);
      } catch (problem) {
        reject(problem instanceof Error ? problem : new Error(String(problem)));
      }
    };
    Promise.resolve(handler(context as never, event, callback)).catch(reject);
  });
}

function toAnswer(payload: unknown): FunctionAnswer {
  if (payload instanceof Response) {
    const { statusCode, headers, body } = payload as unknown as {
      statusCode: number;
      headers: Record<string, unknown>;
      body: unknown;
    };
    if (Buffer.isBuffer(body)) return { ...answer(statusCode, headers, ''), bytes: body };
    return answer(statusCode, headers, typeof body === 'string' ? body : JSON.stringify(body));
  }
  // As the runtime's handleSuccess: strings as text, anything else as JSON. (A TwiML object is only
  // sent as XML when it is an instance of the runtime's own copy of `twilio`, so the service always
  // answers TwiML in a Twilio.Response with an explicit text/xml type instead.)
  if (typeof payload === 'string') return answer(200, { 'Content-Type': 'text/plain' }, payload);
  return answer(200, { 'Content-Type': 'application/json' }, JSON.stringify(payload ?? null));
}

function answer(statusCode: number, headers: Record<string, unknown>, text: string): FunctionAnswer {
  return { statusCode, headers, text, json: () => JSON.parse(text) };
}
