import type { IncomingMessage, ServerResponse } from 'node:http';
import createDebug from 'debug';
import { authenticate } from './rest/auth';
import type { RequestRules, UploadedFile } from './context';
import { errorBody, notFound, TwilioError } from './rest/errors';
import type { Fault, FaultPlan } from './faults';
import { HANDLERS_BY_HOST } from './handlers';
import type { LoggedRequest } from './request-log';
import { specFor, type RawRequest, type SpecApi } from './spec/specs';
import type { ContentStore } from './serverless/content-store';
import type { SandboxState } from './state/types';

const debug = createDebug('twilio-sandbox:request');

export interface SpecViolation {
  direction: 'request' | 'response';
  method: string;
  host: string;
  path: string;
  operationId: string | null;
  status?: number;
  errors: string[];
}

/** What the request pipeline needs from the sandbox that owns it. */
export interface ServerCore {
  state: SandboxState;
  validateSpec: boolean;
  /**
   * Waits the latency set when the request arrived, on the sandbox clock: in real time, or at once when
   * a test advances the clock past it (so a test can hold a request on its way to Twilio and let it go).
   */
  latency(): Promise<void>;
  faults: FaultPlan;
  log: LoggedRequest[];
  violations: SpecViolation[];
  /** Uploaded Function and Asset Version bytes. */
  contents: ContentStore;
  /** Called after a request changed state. */
  persist(): void;
  /** Called after a request changed state: starts what Twilio does on its own (a Build that was created). */
  afterChange(): void;
  /** Keeps a held connection so close() can end it. */
  hold(response: ServerResponse, holdMs: number | undefined): void;
  /** Twilio's limits and clock for the request about to be handled. */
  requestRules(): RequestRules;
  /** What Twilio does as time passes (deleting subaccounts closed long ago), applied before a request. */
  letTimePass(): void;
}

const FAULT_ERRORS: Record<string, TwilioError> = {
  '429': new TwilioError(429, 20429, 'Too Many Requests'),
  '500': new TwilioError(500, 20500, 'Internal Server Error'),
  '503': new TwilioError(503, 20503, 'Service Unavailable'),
};

function send(response: ServerResponse, entry: LoggedRequest, status: number, body?: unknown): void {
  entry.status = status;
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function violationMessage(errors: string[]): string {
  const first = errors[0] ?? 'invalid request';
  const [where, what] = first.split(': ');
  const name = where?.split('/').pop() || 'request';
  return `Invalid parameter ${name}: ${what ?? first}`;
}

const isMultipart = (request: IncomingMessage): boolean =>
  /^multipart\/form-data/i.test(String(request.headers['content-type'] ?? ''));

interface ParsedBody {
  fields: URLSearchParams;
  files: Record<string, UploadedFile>;
}

/**
 * A form body, or a multipart one (the Serverless API's uploads, sent by the form-data package): its text
 * fields as a form, its files apart. Multipart is parsed by the platform's own Fetch API (undici).
 */
async function parseBody(request: IncomingMessage, rawBody: Buffer): Promise<ParsedBody> {
  const contentType = String(request.headers['content-type'] ?? '');
  if (!isMultipart(request)) {
    return { fields: new URLSearchParams(rawBody.toString('utf8')), files: {} };
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(rawBody), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    throw new TwilioError(400, 20001, 'Invalid multipart body');
  }
  const fields = new URLSearchParams();
  const files: Record<string, UploadedFile> = {};
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => entries.push([name, value]));
  for (const [name, value] of entries) {
    if (typeof value === 'string') fields.append(name, value);
    else
      files[name] = {
        content: Buffer.from(await value.arrayBuffer()),
        contentType: value.type,
        filename: value.name,
      };
  }
  // The spec describes the file as a binary field of the body: its presence is what validation sees.
  for (const name of Object.keys(files)) fields.set(name, '(binary)');
  return { fields, files };
}

type Operation = NonNullable<ReturnType<SpecApi['match']>>;

/** The request log's entry for a request as it arrives; the steps below fill in what they learn. */
function arrivingEntry(
  request: IncomingMessage,
  url: URL,
  method: string,
  host: string,
  rawBody: Buffer,
): LoggedRequest {
  return {
    method,
    host,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    fields: isMultipart(request)
      ? []
      : [...new Set(new URLSearchParams(rawBody.toString('utf8')).keys())].sort(),
    operationId: null,
    status: null,
    accountSid: null,
    credentialKind: null,
    fault: null,
  };
}

/** The request held to its operation in twilio-oai: a violation is recorded and refused as Twilio would (400, 20001). */
function checkRequestSpec(
  core: ServerCore,
  api: SpecApi,
  operation: Operation,
  raw: RawRequest,
  entry: LoggedRequest,
): void {
  if (!core.validateSpec) return;
  const errors = api.validateRequest(operation, raw);
  if (!errors.length) return;
  const { method, host, path, operationId } = entry;
  core.violations.push({ direction: 'request', method, host, path, operationId, errors });
  throw new TwilioError(400, 20001, violationMessage(errors));
}

/** The answer held to its operation in twilio-oai: a violation is recorded (the answer still goes out). */
function checkResponseSpec(
  core: ServerCore,
  api: SpecApi,
  operation: Operation,
  entry: LoggedRequest,
  answer: { status: number; body?: unknown },
): void {
  if (!core.validateSpec) return;
  const errors = api.validateResponse(operation, answer.status, answer.body);
  if (!errors.length) return;
  const { method, host, path, operationId } = entry;
  core.violations.push({
    direction: 'response',
    method,
    host,
    path,
    operationId,
    status: answer.status,
    errors,
  });
}

/** A failure answered as Twilio's error body; anything not a TwilioError is a 500, its detail only in the debug log. */
function sendFailure(response: ServerResponse, entry: LoggedRequest, error: unknown): void {
  if (error instanceof TwilioError) {
    send(response, entry, error.status, errorBody(error));
  } else {
    debug('unexpected error on %s %s: %O', entry.method, entry.path, error);
    send(response, entry, 500, errorBody(FAULT_ERRORS['500'] as TwilioError));
  }
}

/** The fault planned for this request, logged; an error fault is thrown, a timeout is handed back. */
function plannedFault(core: ServerCore, entry: LoggedRequest): Fault | undefined {
  const { host, method, path, operationId } = entry;
  const fault = core.faults.next({ host, method, path, operationId });
  entry.fault = fault?.kind ?? null;
  const faultError = fault && FAULT_ERRORS[fault.kind];
  if (faultError) throw faultError;
  return fault;
}

/** Twilio's part in a REST request: route by host and path, fault, authenticate, check, apply, answer. */
export async function handleRestRequest(
  core: ServerCore,
  request: IncomingMessage,
  response: ServerResponse,
  rawBody: Buffer,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://sandbox');
  const method = (request.method ?? 'GET').toUpperCase();
  const host = String(request.headers['x-twilio-host'] ?? 'api.twilio.com').toLowerCase();
  const entry = arrivingEntry(request, url, method, host, rawBody);
  core.log.push(entry);
  try {
    await core.latency();
    const api = await specFor(host);
    const operation = api?.match(method, url.pathname);
    if (!api || !operation) throw notFound(url.pathname);
    entry.operationId = operation.operationId ?? null;

    const fault = plannedFault(core, entry);
    if (fault?.kind === 'timeout-before') {
      core.hold(response, fault.holdMs);
      return;
    }

    core.letTimePass();
    const credential = authenticate(core.state, request.headers.authorization);
    entry.accountSid = credential.accountSid;
    entry.credentialKind = credential.kind;

    const parsed = await parseBody(request, rawBody);
    entry.fields = [...new Set(parsed.fields.keys())].sort();
    const raw: RawRequest = {
      method,
      path: url.pathname,
      query: url.search.slice(1),
      headers: request.headers,
      body: parsed.fields,
    };
    checkRequestSpec(core, api, operation, raw, entry);
    const handler = entry.operationId ? HANDLERS_BY_HOST[host]?.[entry.operationId] : undefined;
    if (!handler) throw notFound(url.pathname);

    // Handlers work on a draft: a refusal thrown half-way must leave the state as it was. A read
    // changes nothing a refusal would have to undo, so it works on the state itself: copying the whole
    // state for every request made a sandbox of 1,000 subaccounts take tens of ms per read.
    const draft = method === 'GET' ? core.state : structuredClone(core.state);
    const answer = handler({
      state: draft,
      credential,
      host,
      path: url.pathname,
      params: api.pathParams(operation, raw),
      query: url.searchParams,
      body: raw.body,
      files: parsed.files,
      contents: core.contents,
      headers: request.headers,
      rules: core.requestRules(),
    });
    core.state = draft;
    if (method !== 'GET') {
      core.persist();
      core.afterChange();
    }

    checkResponseSpec(core, api, operation, entry, answer);
    if (fault?.kind === 'timeout-after') {
      core.hold(response, fault.holdMs);
      return;
    }
    send(response, entry, answer.status, answer.body);
  } catch (error) {
    sendFailure(response, entry, error);
  } finally {
    debug('%s %s%s -> %s', method, host, url.pathname, entry.status ?? 'held');
  }
}
