/**
 * `npm run openapi`: writes docs/openapi.json, the OpenAPI 3.1 description of the admin API, from the
 * route table (src/admin/routes/index.ts) with zod's JSON Schema output. The build serves it as the public
 * asset /openapi.json; a test fails when the committed file differs from what this generates.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { drift, errorBody, registeredNumber, subaccount, subaccountStatus } from '../src/admin/answers';
import { ADMIN_ERROR_STATUS, adminRoutes, type AdminErrorCode, type AdminRoute } from '../src/admin/routes';
import { version } from '../package.json';

export const OPENAPI_FILE = path.resolve(__dirname, '../docs/openapi.json');

type JsonSchema = Record<string, unknown>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** `/admin/subaccounts/rotate-key` → `SubaccountsRotateKey`. */
function nameOf(routePath: string): string {
  return routePath
    .replace(/^\/admin\//, '')
    .split(/[/-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Schemas several answers share, described once under these names. */
const SHARED: [z.ZodType, string][] = [
  [subaccount, 'Subaccount'],
  [subaccountStatus, 'SubaccountStatus'],
  [registeredNumber, 'RegisteredNumber'],
  [drift, 'Drift'],
  [errorBody, 'Error'],
];

/** Every route's parameter and answer schemas as JSON Schema components, with the id each one got. */
function components() {
  const parameters = z.registry<{ id: string }>();
  const answers = z.registry<{ id: string }>();
  for (const [schema, id] of SHARED) answers.add(schema, { id });
  const answerIds = new Map<string, Record<number, string>>();
  for (const [routePath, route] of Object.entries(adminRoutes) as [string, AdminRoute][]) {
    const name = nameOf(routePath);
    parameters.add(route.parameters, { id: `${name}Parameters` });
    const statuses = Object.entries(route.answers) as [string, z.ZodType][];
    const distinct = new Set(statuses.map(([, schema]) => schema)).size;
    const ids: Record<number, string> = {};
    for (const [status, schema] of statuses) {
      const id = answers.get(schema)?.id ?? (distinct > 1 ? `${name}Answer${status}` : `${name}Answer`);
      if (!answers.has(schema)) answers.add(schema, { id });
      ids[Number(status)] = id;
    }
    answerIds.set(routePath, ids);
  }
  // Form fields and JSON both arrive as input: the parameters are described as a caller writes them.
  const options = { unrepresentable: 'any', uri: (id: string) => ref(id).$ref } as const;
  const schemas: Record<string, JsonSchema> = {
    ...z.toJSONSchema(parameters, { ...options, io: 'input' }).schemas,
    ...z.toJSONSchema(answers, { ...options, io: 'output' }).schemas,
  };
  // Each is a component of this document, not a document of its own.
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  // A name a route does not take is refused (400 `unknown_parameter`), so the contract says so.
  for (const [id, schema] of Object.entries(schemas)) {
    if (id.endsWith('Parameters') && schema.type === 'object') schema.additionalProperties = false;
  }
  return { schemas, answerIds };
}

/** The error answers of a route, one per status, each naming the codes it can carry. */
function errorResponses(codes: readonly AdminErrorCode[]) {
  const byStatus = new Map<number, AdminErrorCode[]>();
  for (const code of codes) {
    const statuses: readonly number[] = [ADMIN_ERROR_STATUS[code]].flat();
    for (const status of statuses) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => [
      String(status),
      {
        description: `Refused or failed: ${statusCodes.map((code) => `\`${code}\``).join(', ')}.`,
        content: {
          'application/json': {
            schema: {
              allOf: [
                ref('Error'),
                { properties: { error: { properties: { code: { enum: statusCodes } } } } },
              ],
            },
          },
        },
      },
    ]),
  );
}

function operation(routePath: string, route: AdminRoute, answerIds: Record<number, string>) {
  const name = nameOf(routePath);
  const takesParameters = Object.keys((route.parameters as z.ZodObject).shape ?? {}).length > 0;
  const answers = Object.fromEntries(
    Object.entries(answerIds).map(([status, id]) => [
      status,
      {
        description: status === '200' && route.text ? route.text.description : `Answered with ${status}.`,
        content: {
          'application/json': { schema: ref(id) },
          ...(status === '200' && route.text
            ? { [route.text.mediaType]: { schema: { type: 'string' } } }
            : {}),
        },
      },
    ]),
  );
  const errors = errorResponses(route.errors);
  const clash = Object.keys(answers).find((status) => status in errors);
  if (clash) throw new Error(`${routePath}: ${clash} is both an answer and an error status`);
  return {
    operationId: name.charAt(0).toLowerCase() + name.slice(1),
    summary: route.summary,
    description: route.description,
    ...(takesParameters
      ? {
          requestBody: {
            required: true,
            description: 'Parameters as JSON or form fields, camelCase.',
            content: {
              'application/json': { schema: ref(`${name}Parameters`) },
              'application/x-www-form-urlencoded': { schema: ref(`${name}Parameters`) },
            },
          },
        }
      : {}),
    responses: { ...answers, ...errors },
  };
}

export function openApiDocument() {
  const { schemas, answerIds } = components();
  const paths = Object.fromEntries(
    (Object.entries(adminRoutes) as [string, AdminRoute][]).map(([routePath, route]) => [
      routePath,
      { post: operation(routePath, route, answerIds.get(routePath) ?? {}) },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Subaccount voice service: admin API',
      version,
      description:
        'The admin functions of the service (docs/admin.md). Every call is a POST with `Authorization: Bearer <admin key>`; a refusal is `{ "error": { "code", "message", ... } }` and changes nothing.',
    },
    servers: [{ url: 'http://localhost:3000', description: '`npm start`, against the local sandbox' }],
    security: [{ adminKey: [] }],
    paths,
    components: {
      securitySchemes: {
        adminKey: { type: 'http', scheme: 'bearer', description: 'One of ADMIN_API_KEYS.' },
      },
      schemas,
    },
  };
}

/** The file's text: what `npm run openapi` writes and the test compares. */
export function renderOpenApi(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`Wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}
