import { ServiceError } from '../errors/service-error';

/** The service's configuration, read once from the Functions environment (PRODUCT.md, "Environment"). */
export interface ServiceConfig {
  /** Main account SID: every subaccount is created under it. */
  accountSid: string;
  authToken: string;
  /** https URL the service is reached at, without trailing slash; signed webhook URLs are built on it. */
  publicBaseUrl: string;
  /** Admin bearer keys; several so one can be rotated without downtime. */
  adminApiKeys: readonly string[];
  tokenTicketSecret: string;
  /** 32-byte AES-256-GCM key for secrets kept in the registry. */
  registryEncryptionKey: Buffer;
  /** Sync Service of the main account that holds the registry; `default` is Twilio's default service. */
  syncServiceSid: string;
  /** Origins allowed to call `/token` from a browser. */
  allowedOrigins: readonly string[];
  /**
   * Browser origins, besides the service's own (which serves the console), allowed to call the admin
   * functions; empty by default.
   */
  adminAllowedOrigins: readonly string[];
  /** When set, every Twilio REST request goes here instead of `https://<host>.twilio.com`. */
  twilioApiBaseUrl: string | undefined;
}

export type Environment = Readonly<Record<string, unknown>>;

const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;
const AUTH_TOKEN = /^[0-9a-f]{32}$/;
const SYNC_SERVICE_SID = /^IS[0-9a-f]{32}$/;
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

const VARIABLES = [
  'ACCOUNT_SID',
  'AUTH_TOKEN',
  'PUBLIC_BASE_URL',
  'DOMAIN_NAME',
  'ADMIN_API_KEYS',
  'TOKEN_TICKET_SECRET',
  'REGISTRY_ENCRYPTION_KEY',
  'SYNC_SERVICE_SID',
  'ALLOWED_ORIGINS',
  'ADMIN_ALLOWED_ORIGINS',
  'TWILIO_API_BASE_URL',
] as const;

let cached: { raw: unknown[]; config: ServiceConfig } | undefined;

/**
 * Reads and validates the configuration from a Functions `context` (or `process.env`). The result is
 * kept for as long as the variables keep their values, so a warm function compares ten values per
 * request instead of parsing, and gets the same (frozen) object back: caches may key on it.
 */
export function loadConfig(env: Environment): ServiceConfig {
  if (cached && sameValues(env, cached.raw)) return cached.config;
  const raw = VARIABLES.map((name) => env[name]);
  const values = Object.fromEntries(
    VARIABLES.map((name, i) => [name, typeof raw[i] === 'string' ? (raw[i] as string).trim() : '']),
  ) as RawValues;
  const config = parseConfig(values);
  cached = { raw, config };
  return config;
}

function sameValues(env: Environment, raw: readonly unknown[]): boolean {
  for (let i = 0; i < VARIABLES.length; i++) {
    if (env[VARIABLES[i] as string] !== raw[i]) return false;
  }
  return true;
}

type RawValues = Record<(typeof VARIABLES)[number], string>;

function parseConfig(values: RawValues): ServiceConfig {
  const problems: { variable: string; problem: string }[] = [];
  const fail = (variable: string, problem: string) => {
    problems.push({ variable, problem });
  };

  const accountSid = values.ACCOUNT_SID;
  if (!accountSid) fail('ACCOUNT_SID', 'is required (the main account SID)');
  else if (!ACCOUNT_SID.test(accountSid)) fail('ACCOUNT_SID', 'must be "AC" followed by 32 hex characters');

  const authToken = values.AUTH_TOKEN;
  if (!authToken) fail('AUTH_TOKEN', 'is required (the main account auth token)');
  else if (!AUTH_TOKEN.test(authToken)) fail('AUTH_TOKEN', 'must be 32 hex characters');

  const publicBaseUrl = parsePublicBaseUrl(values.PUBLIC_BASE_URL, values.DOMAIN_NAME, fail);

  const adminApiKeys = values.ADMIN_API_KEYS.split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
  if (adminApiKeys.length === 0) fail('ADMIN_API_KEYS', 'is required (one or more keys, comma separated)');
  adminApiKeys.forEach((key, index) => {
    if (key.length < MIN_SECRET_LENGTH) {
      fail('ADMIN_API_KEYS', `key ${index + 1} is shorter than ${MIN_SECRET_LENGTH} characters`);
    }
  });

  const tokenTicketSecret = values.TOKEN_TICKET_SECRET;
  if (!tokenTicketSecret) fail('TOKEN_TICKET_SECRET', 'is required');
  else if (tokenTicketSecret.length < MIN_SECRET_LENGTH) {
    fail('TOKEN_TICKET_SECRET', `must be at least ${MIN_SECRET_LENGTH} characters`);
  }

  const registryEncryptionKey = parseEncryptionKey(values.REGISTRY_ENCRYPTION_KEY);
  if (!values.REGISTRY_ENCRYPTION_KEY) fail('REGISTRY_ENCRYPTION_KEY', 'is required');
  else if (!registryEncryptionKey) {
    fail('REGISTRY_ENCRYPTION_KEY', 'must be 32 bytes, as 64 hex characters or base64');
  }

  const syncServiceSid = values.SYNC_SERVICE_SID || 'default';
  if (syncServiceSid !== 'default' && !SYNC_SERVICE_SID.test(syncServiceSid)) {
    fail('SYNC_SERVICE_SID', 'must be "default" or "IS" followed by 32 hex characters');
  }

  const allowedOrigins = parseOrigins('ALLOWED_ORIGINS', values.ALLOWED_ORIGINS, fail);
  // /token defaults to the service's own origin; the admin functions always allow it, so no default.
  if (!values.ALLOWED_ORIGINS && publicBaseUrl) allowedOrigins.push(new URL(publicBaseUrl).origin);
  const adminAllowedOrigins = parseOrigins('ADMIN_ALLOWED_ORIGINS', values.ADMIN_ALLOWED_ORIGINS, fail);

  let twilioApiBaseUrl: string | undefined;
  if (values.TWILIO_API_BASE_URL) {
    const url = parseUrl(values.TWILIO_API_BASE_URL);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      fail('TWILIO_API_BASE_URL', 'must be an http(s) URL');
    } else {
      twilioApiBaseUrl = withoutTrailingSlash(url.href);
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    accountSid,
    authToken,
    publicBaseUrl: publicBaseUrl as string,
    adminApiKeys: Object.freeze(adminApiKeys),
    tokenTicketSecret,
    registryEncryptionKey: registryEncryptionKey as Buffer,
    syncServiceSid,
    allowedOrigins: Object.freeze(allowedOrigins),
    adminAllowedOrigins: Object.freeze(adminAllowedOrigins),
    twilioApiBaseUrl,
  });
}

type Fail = (variable: string, problem: string) => void;

function parsePublicBaseUrl(value: string, domainName: string, fail: Fail): string | undefined {
  const variable = value ? 'PUBLIC_BASE_URL' : 'DOMAIN_NAME';
  const candidate = value || (domainName ? `https://${domainName}` : '');
  if (!candidate) {
    fail('PUBLIC_BASE_URL', 'is required when DOMAIN_NAME is not set (the https URL of the service)');
    return undefined;
  }
  const url = parseUrl(candidate);
  if (!url || url.search || url.hash) {
    fail(variable, 'must be an absolute URL without query or fragment');
    return undefined;
  }
  // Twilio only posts to https webhooks; plain http is for a service on this machine.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    fail(variable, 'must be an https URL (http is allowed for localhost only)');
    return undefined;
  }
  return withoutTrailingSlash(url.href);
}

/** A comma-separated list of origins (`https://app.example.com`), each checked to be exactly one. */
function parseOrigins(variable: string, value: string, fail: Fail): string[] {
  const origins: string[] = [];
  for (const entry of value.split(',').map((origin) => origin.trim())) {
    if (!entry) continue;
    const url = parseUrl(entry);
    if (!url || url.origin === 'null' || url.origin !== withoutTrailingSlash(entry)) {
      fail(variable, `entry "${entry}" is not an origin like https://app.example.com`);
      continue;
    }
    origins.push(url.origin);
  }
  return origins;
}

function parseEncryptionKey(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value, 'base64');
    if (key.length === 32) return key;
  }
  return undefined;
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
