import { ServiceError } from '../errors/service-error';
import { REQUEST_TIMEOUT_MS } from '../twilio/rest-settings';
import { AUTH_TOKEN, sidPattern } from '../vocabulary';
import { keyRing, type KeyRing } from './key-ring';

/** The service's configuration, read once from the Functions environment (every variable: .env.example). */
export interface ServiceConfig {
  /** Main account SID: every subaccount is created under it. */
  accountSid: string;
  authToken: string;
  /** https URL the service is reached at, without trailing slash; signed webhook URLs are built on it. */
  publicBaseUrl: string;
  /** Admin bearer keys; several so one can be rotated without downtime. */
  adminApiKeys: readonly string[];
  /** The newest ticket secret: what `mintTicket` signs with (tickets are verified with `tokenTicketSecrets`). */
  tokenTicketSecret: string;
  /** Every ticket secret accepted, newest first, each with its id (the `kid` of a ticket's header). */
  tokenTicketSecrets: KeyRing<string>;
  /**
   * The newest 32-byte registry key: what secrets are encrypted, registry items MACed (each with a key
   * derived from it) and media links signed with.
   */
  registryEncryptionKey: Buffer;
  /** Every registry key accepted on reads, newest first, each with the id sealed data names. */
  registryKeys: KeyRing<Buffer>;
  /** Sync Service of the main account that holds the registry; `default` is Twilio's default service. */
  syncServiceSid: string;
  /** Origins allowed to call `/token` from a browser. */
  allowedOrigins: readonly string[];
  /** When set, every Twilio REST request goes here instead of `https://<host>.twilio.com`. */
  twilioApiBaseUrl: string | undefined;
  /**
   * How long one Twilio REST request may take: REQUEST_TIMEOUT_MS (rest-settings.ts, sized for the
   * Functions time limit) against Twilio itself, always; TWILIO_REQUEST_TIMEOUT_MS only with
   * TWILIO_API_BASE_URL, for a stand-in on a machine too busy to answer within it (the tests' sandbox).
   */
  twilioRequestTimeoutMs: number;
  /** Browser origins, besides the service's own, allowed to call the admin functions. */
  adminAllowedOrigins: readonly string[];
  /** Where the service posts its events, if anywhere; always set together with `eventsWebhookSecret`. */
  eventsWebhookUrl?: string;
  /** Signs every event posted to `eventsWebhookUrl`. */
  eventsWebhookSecret?: string;
}

export type Environment = Readonly<Record<string, unknown>>;

const ACCOUNT_SID = sidPattern('AC');
const SYNC_SERVICE_SID = sidPattern('IS');
const MIN_SECRET_LENGTH = 32;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Thrown when the environment is incomplete or malformed. The message names every offending variable
 * and what it should look like, never its value (values may be secrets).
 */
export class ConfigError extends ServiceError {
  constructor(readonly problems: readonly { variable: string; problem: string }[]) {
    super(
      500,
      'configuration_invalid',
      `The service is misconfigured: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}.`,
      { variables: problems.map((p) => p.variable) },
    );
    this.name = 'ConfigError';
  }
}

/** Says what is wrong with a variable's value (never the value). */
type Report = (problem: string) => undefined;

/** Reads one variable from its trimmed text (empty when unset), reporting what is wrong with it. */
type Read<T> = (text: string, report: Report) => T;

const required =
  (what: string, pattern: RegExp, shape: string): Read<string> =>
  (text, report) => {
    if (!text) report(`is required (${what})`);
    else if (!pattern.test(text)) report(shape);
    return text;
  };

/**
 * Every variable the service reads, each with its reader. Plain functions, not a schema library: every
 * function loads this at its cold start, before its first answer. Each problem names its variable and
 * says what the value should look like, never what it is.
 */
const READERS = {
  ACCOUNT_SID: required('the main account SID', ACCOUNT_SID, 'must be "AC" followed by 32 hex characters'),
  AUTH_TOKEN: required('the main account auth token', AUTH_TOKEN, 'must be 32 hex characters'),
  PUBLIC_BASE_URL: (text: string, report: Report) => (text ? publicBaseUrl(text, report) : undefined),
  // Set by Twilio to the domain of the deployed service: PUBLIC_BASE_URL defaults to it.
  DOMAIN_NAME: (text: string) => text,
  ADMIN_API_KEYS: adminApiKeys,
  TOKEN_TICKET_SECRET: ticketSecrets,
  REGISTRY_ENCRYPTION_KEY: encryptionKeys,
  SYNC_SERVICE_SID: (text: string, report: Report) => {
    if (text && text !== 'default' && !SYNC_SERVICE_SID.test(text)) {
      report('must be "default" or "IS" followed by 32 hex characters');
    }
    return text || 'default';
  },
  ALLOWED_ORIGINS: (text: string, report: Report) =>
    text ? origins('ALLOWED_ORIGINS', text, report) : undefined,
  TWILIO_API_BASE_URL: (text: string, report: Report) => (text ? twilioApiBaseUrl(text, report) : undefined),
  TWILIO_REQUEST_TIMEOUT_MS: (text: string, report: Report) => {
    if (!text) return undefined;
    const ms = Number(text);
    if (!/^\d+$/.test(text) || ms < 1_000 || ms > 60_000) report('must be milliseconds from 1000 to 60000');
    return ms;
  },
  ADMIN_ALLOWED_ORIGINS: (text: string, report: Report) => origins('ADMIN_ALLOWED_ORIGINS', text, report),
  EVENTS_WEBHOOK_URL: (text: string, report: Report) => (text ? eventsWebhookUrl(text, report) : undefined),
  EVENTS_WEBHOOK_SECRET: (text: string, report: Report) => {
    if (text && text.length < MIN_SECRET_LENGTH) report(`must be at least ${MIN_SECRET_LENGTH} characters`);
    return text || undefined;
  },
} satisfies Record<string, Read<unknown>>;

type Values = { [Name in keyof typeof READERS]: ReturnType<(typeof READERS)[Name]> };

/** Every variable the configuration reads, in the readers' order. */
export const CONFIG_VARIABLES = Object.keys(READERS) as readonly (keyof typeof READERS)[];

/** Stands for a variable that failed, so the rules across variables can tell "unset" from "malformed". */
const FAILED = Symbol('failed');

interface Problem {
  variable: string;
  problem: string;
}

/** Each variable read from its text, a variable that failed holding FAILED; every problem in `problems`. */
function readVariables(text: Readonly<Record<string, string>>, problems: Problem[]) {
  const values: Record<string, unknown> = {};
  for (const name of CONFIG_VARIABLES) {
    let failed = false;
    const value = READERS[name](text[name] ?? '', (problem) => {
      failed = true;
      problems.push({ variable: name, problem });
      return undefined;
    });
    values[name] = failed ? FAILED : value;
  }
  return values as { [Name in keyof Values]: Values[Name] | typeof FAILED };
}

/**
 * The configuration from the variables' text. The rules across variables run even when a variable
 * failed, so a ConfigError names every problem at once.
 */
function parseConfig(text: Readonly<Record<string, string>>): ServiceConfig {
  const problems: Problem[] = [];
  const values = readVariables(text, problems);
  const reportOn =
    (variable: string): Report =>
    (problem) => {
      problems.push({ variable, problem });
      return undefined;
    };
  if (values.PUBLIC_BASE_URL === undefined) {
    if (!values.DOMAIN_NAME) {
      reportOn('PUBLIC_BASE_URL')('is required when DOMAIN_NAME is not set (the https URL of the service)');
    } else {
      publicBaseUrl(`https://${values.DOMAIN_NAME as string}`, reportOn('DOMAIN_NAME'));
    }
  }
  if (values.EVENTS_WEBHOOK_URL !== undefined && values.EVENTS_WEBHOOK_SECRET === undefined) {
    reportOn('EVENTS_WEBHOOK_SECRET')('is required when EVENTS_WEBHOOK_URL is set');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return configOf(values as Values);
}

function configOf(values: Values): ServiceConfig {
  // parseConfig refused a DOMAIN_NAME that makes no valid URL.
  const baseUrl =
    values.PUBLIC_BASE_URL ?? (publicBaseUrl(`https://${values.DOMAIN_NAME}`, () => undefined) as string);
  return Object.freeze({
    accountSid: values.ACCOUNT_SID,
    authToken: values.AUTH_TOKEN,
    publicBaseUrl: baseUrl,
    adminApiKeys: Object.freeze(values.ADMIN_API_KEYS),
    tokenTicketSecret: values.TOKEN_TICKET_SECRET[0] as string,
    tokenTicketSecrets: keyRing(values.TOKEN_TICKET_SECRET),
    registryEncryptionKey: values.REGISTRY_ENCRYPTION_KEY[0] as Buffer,
    registryKeys: keyRing(values.REGISTRY_ENCRYPTION_KEY),
    syncServiceSid: values.SYNC_SERVICE_SID,
    allowedOrigins: Object.freeze(values.ALLOWED_ORIGINS ?? [new URL(baseUrl).origin]),
    twilioApiBaseUrl: values.TWILIO_API_BASE_URL,
    twilioRequestTimeoutMs:
      (values.TWILIO_API_BASE_URL && values.TWILIO_REQUEST_TIMEOUT_MS) || REQUEST_TIMEOUT_MS,
    adminAllowedOrigins: Object.freeze(values.ADMIN_ALLOWED_ORIGINS),
    eventsWebhookUrl: values.EVENTS_WEBHOOK_URL,
    eventsWebhookSecret: values.EVENTS_WEBHOOK_SECRET,
  });
}

let cached: { raw: unknown[]; config: ServiceConfig } | undefined;

/**
 * Reads and validates the configuration from a Functions `context` (or `process.env`). The result is
 * kept for as long as the variables keep their values, so a warm function compares the variables' values
 * per request instead of parsing, and gets the same (frozen) object back: caches may key on it.
 */
export function loadConfig(env: Environment): ServiceConfig {
  if (cached && sameValues(env, cached.raw)) return cached.config;
  const raw = CONFIG_VARIABLES.map((name) => env[name]);
  const text = Object.fromEntries(
    CONFIG_VARIABLES.map((name, i) => [name, typeof raw[i] === 'string' ? (raw[i] as string).trim() : '']),
  );
  const config = parseConfig(text);
  cached = { raw, config };
  return config;
}

function sameValues(env: Environment, raw: readonly unknown[]): boolean {
  for (let i = 0; i < CONFIG_VARIABLES.length; i++) {
    if (env[CONFIG_VARIABLES[i] as string] !== raw[i]) return false;
  }
  return true;
}

/** A comma-separated list of secrets, newest first (ADMIN_API_KEYS, TOKEN_TICKET_SECRET). */
function secretList(text: string, report: Report, what: string): string[] {
  const keys = text
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
  if (keys.length === 0) report(`is required (one or more ${what}, comma separated, newest first)`);
  keys.forEach((key, index) => {
    if (key.length < MIN_SECRET_LENGTH)
      report(`entry ${index + 1} is shorter than ${MIN_SECRET_LENGTH} characters`);
  });
  if (new Set(keys).size !== keys.length) report('lists the same entry twice');
  return keys;
}

function adminApiKeys(text: string, report: Report): string[] {
  return secretList(text, report, 'keys');
}

function ticketSecrets(text: string, report: Report): string[] {
  return secretList(text, report, 'secrets');
}

/** One or more 32-byte keys, comma separated, newest first: the newest encrypts, every one decrypts. */
function encryptionKeys(text: string, report: Report): Buffer[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) {
    report('is required (one or more keys, comma separated, newest first)');
    return [];
  }
  const keys: Buffer[] = [];
  entries.forEach((entry, index) => {
    const key = encryptionKey(entry);
    if (key) keys.push(key);
    else report(`entry ${index + 1} must be 32 bytes, as 64 hex characters or base64`);
  });
  if (new Set(keys.map((key) => key.toString('hex'))).size !== keys.length)
    report('lists the same key twice');
  return keys;
}

function encryptionKey(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text, 'base64');
    if (key.length === 32) return key;
  }
  return undefined;
}

function publicBaseUrl(text: string, report: Report): string | undefined {
  const url = parseUrl(text);
  if (!url || url.search || url.hash) return report('must be an absolute URL without query or fragment');
  // Twilio only posts to https webhooks; plain http is for a service on this machine.
  if (!isHttpsOrLocal(url)) return report('must be an https URL (http is allowed for localhost only)');
  return withoutTrailingSlash(url.href);
}

function eventsWebhookUrl(text: string, report: Report): string | undefined {
  const url = parseUrl(text);
  if (!url || !isHttpsOrLocal(url))
    return report('must be an https URL (http is allowed for localhost only)');
  return url.href;
}

function twilioApiBaseUrl(text: string, report: Report): string | undefined {
  const url = parseUrl(text);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    return report('must be an http(s) URL');
  return withoutTrailingSlash(url.href);
}

function origins(variable: string, text: string, report: Report): string[] {
  const found: string[] = [];
  for (const entry of text.split(',').map((origin) => origin.trim())) {
    if (!entry) continue;
    const url = parseUrl(entry);
    if (!url || url.origin === 'null' || url.origin !== withoutTrailingSlash(entry)) {
      report(`entry "${entry}" is not an origin like https://app.example.com`);
      continue;
    }
    found.push(url.origin);
  }
  return found;
}

function isHttpsOrLocal(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function withoutTrailingSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
