/**
 * Holds admin answers to docs/openapi.json, the way the sandbox is held to twilio-oai: every answer a
 * test gets from an admin function (in-process or over HTTP) passes through `expectDescribedAnswer`,
 * so an answer whose status or body the description does not allow fails the test that produced it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { adminRoutes, type AdminPath } from '../src/admin/routes';
import type { FunctionHandler } from '../src/http/json-function';

const root = path.resolve(__dirname, '..');
export const OPENAPI_PATH = path.join(root, 'docs/openapi.json');

const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as {
  paths: Record<
    string,
    { post?: { responses?: Record<string, { content?: Record<string, unknown> } | undefined> } }
  >;
};

// The document is one schema resource; each answer's schema is reached by a JSON pointer into it.
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)) && value.includes('T'));
ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
ajv.addSchema(document, 'openapi.json');

const validators = new Map<string, ValidateFunction>();

const pointer = (...parts: string[]) =>
  parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Problems of an answer against the description, each "where: what"; empty when it is described. */
export function answerProblems(routePath: string, status: number, body: unknown): string[] {
  const responses = document.paths[routePath]?.post?.responses;
  if (!responses) return [`${routePath} is not in docs/openapi.json`];
  if (!responses[String(status)]) return [`${routePath} does not describe status ${status}`];
  const where = pointer(
    'paths',
    routePath,
    'post',
    'responses',
    String(status),
    'content',
    'application/json',
    'schema',
  );
  let validate = validators.get(where);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi.json#/${where}` });
    validators.set(where, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'}: ${error.message ?? 'invalid'}`,
  );
}

/** Problems of a text answer (the usage CSV): its status and media type must be described. */
export function textAnswerProblems(routePath: string, status: number, contentType: string): string[] {
  const mediaType = contentType.split(';')[0]?.trim() ?? '';
  const content = document.paths[routePath]?.post?.responses?.[String(status)]?.content ?? {};
  return mediaType in content ? [] : [`${routePath} does not describe a ${status} answer as ${mediaType}`];
}

/** Throws, naming every problem and the answer, when the description does not allow it. */
export function expectDescribedAnswer(routePath: string, status: number, body: unknown): void {
  const problems = answerProblems(routePath, status, body);
  if (problems.length > 0) {
    throw new Error(
      `The ${status} answer of ${routePath} departs from docs/openapi.json:\n  ${[...new Set(problems)].join('\n  ')}\n${JSON.stringify(body, null, 2).slice(0, 2000)}`,
    );
  }
}

let handlerPaths: Map<FunctionHandler, AdminPath> | undefined;

/**
 * The route of an admin function's handler, or undefined for any other function. Each route's function
 * is the file at its path under src/functions, the same module a test imports.
 */
export function adminPathOf(handler: FunctionHandler): AdminPath | undefined {
  handlerPaths ??= new Map(
    (Object.keys(adminRoutes) as AdminPath[]).map((routePath) => [
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require(path.join(root, 'src/functions', routePath)) as { handler: FunctionHandler }).handler,
      routePath,
    ]),
  );
  return handlerPaths.get(handler);
}
