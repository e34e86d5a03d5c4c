import path from 'node:path';
import { readFileSync } from 'node:fs';
import OpenAPIBackend, { type Operation } from 'openapi-backend';
import { addUploadOperations } from './upload-operations';

/**
 * The twilio-oai description of each API host the sandbox serves, vendored in ./twilio-oai at the tag
 * its VERSION file names (`npm run specs:update -- <tag>` replaces them).
 */
export const SPEC_FILES: Record<string, string> = {
  'api.twilio.com': 'twilio_api_v2010.json',
  'sync.twilio.com': 'twilio_sync_v1.json',
  'messaging.twilio.com': 'twilio_messaging_v1.json',
  'lookups.twilio.com': 'twilio_lookups_v2.json',
  'serverless.twilio.com': 'twilio_serverless_v1.json',
  // Uploads of Function and Asset Versions (./upload-operations.ts) go to their own host.
  'serverless-upload.twilio.com': 'twilio_serverless_v1.json',
};

export const SPEC_DIR = path.join(__dirname, 'twilio-oai');

export interface RawRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: URLSearchParams;
}

export interface SpecApi {
  match(method: string, urlPath: string): Operation | undefined;
  pathParams(operation: Operation, request: RawRequest): Record<string, string>;
  /** Problems with the request, each as "where: what"; empty when it follows the spec. */
  validateRequest(operation: Operation, request: RawRequest): string[];
  validateResponse(operation: Operation, status: number, body: unknown): string[];
}

/** Twilio writes relative links (`first_page_uri`) with format uri too, so both forms pass. */
const uriFormat = (value: string): boolean => value.startsWith('/') || URL.canParse(value);

/** The part of openapi-backend's Ajv 8 instance used here (the root `ajv` package is another major). */
interface Ajv {
  addFormat(name: string, format: (value: string) => boolean): unknown;
}

interface SchemaNode {
  type?: string;
  anyOf?: SchemaNode[];
  nullable?: boolean;
  pattern?: string;
  minLength?: number;
  format?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** Answers only: an unset field that Twilio answers as `""` where the schema gives a SID pattern or URI. */
const EMPTY_OR_URI = 'empty-or-uri';

/**
 * Answers are checked against what Twilio sends, which its response schemas describe loosely:
 * - `""` for unset SIDs and URLs (the twilio-oai example of FetchIncomingPhoneNumber has
 *   `"voice_application_sid": ""`, `"sms_url": ""`) where the schema gives a SID pattern or URI format:
 *   a nullable string field of a response schema also takes `""`;
 * - money as decimal strings (`"price": "2192.84855"` in the example of ListUsageRecord) where the schema
 *   says number: a nullable number field also takes a decimal string.
 * - a nullable field with no type (a Recording's `encryption_details`) takes any value.
 * Request schemas are untouched (an empty VoiceApplicationSid is still refused, as the description says).
 */
function acceptTwilioAnswers(node: SchemaNode | undefined): void {
  if (!node || typeof node !== 'object') return;
  if (node.type === 'string' && node.nullable) {
    if (node.pattern) node.pattern = `^$|${node.pattern}`;
    delete node.minLength;
    if (node.format === 'uri') node.format = EMPTY_OR_URI;
  }
  // `encryption_details` of a Recording is `{ nullable: true }` with no type: any value, null included
  // (Ajv refuses to compile "nullable" without "type").
  if (node.nullable && node.type === undefined && !node.anyOf) delete node.nullable;
  if (node.type === 'number' && node.nullable) {
    delete node.type;
    delete node.nullable;
    node.anyOf = [
      { type: 'number', nullable: true },
      { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$' },
    ];
  }
  for (const child of Object.values(node.properties ?? {})) acceptTwilioAnswers(child);
  acceptTwilioAnswers(node.items);
}

function customizeAjv(ajv: Ajv, options: object, context: string): Ajv {
  // Form bodies carry every value as a string: let the body schema coerce them, as Twilio parses them.
  const target =
    context === 'requestBodyValidator'
      ? new (ajv.constructor as new (o: object) => Ajv)({ ...options, coerceTypes: 'array' })
      : ajv;
  target.addFormat('uri', uriFormat);
  target.addFormat(EMPTY_OR_URI, (value) => value === '' || uriFormat(value));
  return target;
}

interface FormSchema {
  properties?: Record<string, { type?: string }>;
  required?: string[];
}

/** Twilio's clients send JSON objects (Sync `Data`) as JSON strings inside the form. */
function formToObject(operation: Operation, body: URLSearchParams): Record<string, unknown> {
  const content = (operation.requestBody as { content?: Record<string, { schema?: FormSchema }> } | undefined)
    ?.content;
  const schema = (content?.['application/x-www-form-urlencoded'] ?? content?.['multipart/form-data'])?.schema;
  const properties = schema?.properties ?? {};
  const result: Record<string, unknown> = {};
  for (const name of new Set(body.keys())) {
    const values = body.getAll(name);
    // An optional field sent empty clears its value (`VoiceUrl=`, `VoiceApplicationSid=`), which Twilio
    // accepts although twilio-oai's patterns and formats do not describe an empty value.
    if (values.every((value) => value === '') && !schema?.required?.includes(name)) continue;
    const value: unknown = values.length > 1 ? values : values[0];
    if (properties[name]?.type === 'object' && typeof value === 'string') {
      try {
        result[name] = JSON.parse(value);
      } catch {
        result[name] = value;
      }
    } else {
      result[name] = value;
    }
  }
  return result;
}

function describe(errors: { instancePath: string; message?: string }[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? 'invalid'}`);
}

function toBackendRequest(operation: Operation | undefined, request: RawRequest) {
  return {
    method: request.method.toLowerCase(),
    path: request.path,
    query: request.query,
    headers: request.headers as Record<string, string | string[]>,
    body: operation ? formToObject(operation, request.body) : {},
  };
}

/**
 * The operation a request is for, as openapi-backend's router matches it (`matchOperation`: the exact
 * path first, else the path templates that match, the one with the most literal characters first, of
 * the request's method; trailing slashes ignored). Its router lists every operation of the description
 * anew and builds a RegExp per path for each request, which made matching most of the sandbox's work
 * per request: the description does not change once loaded, so both are made once here.
 */
function operationMatcher(
  operations: Operation[],
): (method: string, urlPath: string) => Operation | undefined {
  const exact = new Map(operations.map((operation) => [`${operation.method} ${operation.path}`, operation]));
  const templates = operations
    .map((operation) => ({
      operation,
      pattern: new RegExp(`^${operation.path.replace(/\{.*?\}/g, '[^/]+')}$`),
      literal: operation.path.replace(/\{.*?\}/g, '').length,
    }))
    .sort((a, b) => b.literal - a.literal);
  return (method, urlPath) => {
    let normalized = urlPath.trim().split('?')[0] ?? '';
    if (!normalized.startsWith('/')) normalized = `/${normalized}`;
    while (normalized.length > 1 && normalized.endsWith('/')) normalized = normalized.slice(0, -1);
    return (
      exact.get(`${method} ${normalized}`) ??
      templates.find((template) => template.operation.method === method && template.pattern.test(normalized))
        ?.operation
    );
  };
}

async function loadSpecApi(file: string): Promise<SpecApi> {
  const definition = JSON.parse(readFileSync(path.join(SPEC_DIR, file), 'utf8'));
  for (const schema of Object.values<SchemaNode>(definition.components?.schemas ?? {}))
    acceptTwilioAnswers(schema);
  if (file === SPEC_FILES['serverless-upload.twilio.com']) addUploadOperations(definition);
  const api = new OpenAPIBackend({
    definition,
    quick: true,
    coerceTypes: true,
    ajvOpts: { logger: false },
    customizeAjv: customizeAjv as never,
  });
  await api.init();
  const match = operationMatcher(api.router.getOperations());
  return {
    match: (method, urlPath) => match(method.toLowerCase(), urlPath),
    pathParams: (operation, request) =>
      api.router.parseRequest(toBackendRequest(operation, request), operation).params as Record<
        string,
        string
      >,
    validateRequest: (operation, request) =>
      describe(api.validator.validateRequest(toBackendRequest(operation, request), operation).errors),
    validateResponse: (operation, status, body) => {
      const described = operation.responses?.[String(status)] as { content?: unknown } | undefined;
      if (!described) return [`status ${status} is not described for ${operation.operationId}`];
      if (!described.content) return [];
      return describe(api.validator.validateResponse(body, operation, status).errors);
    },
  };
}

const loaded = new Map<string, Promise<SpecApi>>();

/** Specs are large and immutable: every sandbox in the process shares one parsed copy per file. */
export function specFor(host: string): Promise<SpecApi> | undefined {
  const file = SPEC_FILES[host];
  if (!file) return undefined;
  let api = loaded.get(file);
  if (!api) {
    api = loadSpecApi(file);
    loaded.set(file, api);
  }
  return api;
}

export const SPEC_HOSTS = Object.keys(SPEC_FILES);
