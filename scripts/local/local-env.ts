/**
 * The local configuration `npm start` runs with: `.env`, written on first start with fresh random
 * credentials that only the sandbox knows, and reused after so the sandbox state stays valid. Its local
 * URLs follow PORT and SANDBOX_PORT on every start: the credentials stay, the ports move.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'dotenv';

export interface LocalPorts {
  service: number;
  sandbox: number;
}

/** A local URL that moved: what .env said, and what it says now. */
export interface MovedUrl {
  from: string;
  to: string;
}

export interface LocalEnv {
  values: Record<string, string>;
  /** True when .env did not exist and was just written. */
  created: boolean;
  /** The service's and the sandbox's URLs, when this start moved them to other ports. */
  moved: { service?: MovedUrl; sandbox?: MovedUrl };
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * The service's REST timeout against a local sandbox (TWILIO_REQUEST_TIMEOUT_MS, honoured only with
 * TWILIO_API_BASE_URL: docs/configuration.md). The sandbox answers from the same machine, often the
 * same process as other work, so a busy machine can hold an answer past the 2.5 s a request has
 * against Twilio itself (src/twilio/rest-settings.ts); a timeout there would leave a create to be
 * retried for no fault of the service.
 */
export const SANDBOX_REQUEST_TIMEOUT_MS = 10_000;

/** The port of a local http URL (localhost or 127.0.0.1), or undefined for any other URL. */
export function localPort(url: string | undefined): number | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' || !LOCAL_HOSTS.has(parsed.hostname)) return undefined;
    return Number(parsed.port || 80);
  } catch {
    return undefined;
  }
}

/**
 * The ports to start on: PORT and SANDBOX_PORT when set, else the ones .env names (the last start's),
 * else 3000 and 4010.
 */
export function chosenPorts(env: NodeJS.ProcessEnv, file: string): LocalPorts {
  const saved = existsSync(file) ? parse(readFileSync(file)) : {};
  return {
    service: Number(env.PORT || localPort(saved.PUBLIC_BASE_URL) || 3000),
    sandbox: Number(env.SANDBOX_PORT || localPort(saved.TWILIO_API_BASE_URL) || 4010),
  };
}

/**
 * Both forms a browser may open a local page at: a page at http://127.0.0.1:3000 is another origin
 * than http://localhost:3000, and would be refused the phone service.
 */
const localOrigins = (port: number) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`];

/** `list` (comma separated) with its local origins replaced by `local`; other origins are kept. */
function withLocalOrigins(list: string | undefined, local: readonly string[]): string {
  const others = (list ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin && localPort(origin) === undefined);
  return [...local, ...others].join(',');
}

export function readOrCreateLocalEnv(file: string, ports: LocalPorts): LocalEnv {
  if (!existsSync(file)) return createLocalEnv(file, ports);
  const text = readFileSync(file, 'utf8');
  const values = parse(text);
  const changes: Record<string, string> = {};
  const moved: LocalEnv['moved'] = {};
  const serviceUrl = `http://localhost:${ports.service}`;
  // Only local URLs follow the ports: a tunnel's PUBLIC_BASE_URL or real Twilio stay as written.
  if (localPort(values.PUBLIC_BASE_URL) !== undefined) {
    if (values.PUBLIC_BASE_URL !== serviceUrl) {
      moved.service = { from: values.PUBLIC_BASE_URL as string, to: serviceUrl };
      changes.PUBLIC_BASE_URL = serviceUrl;
    }
    changes.ALLOWED_ORIGINS = withLocalOrigins(values.ALLOWED_ORIGINS, localOrigins(ports.service));
    // The service's own origin (localhost) is always allowed; the 127.0.0.1 form is another origin.
    changes.ADMIN_ALLOWED_ORIGINS = withLocalOrigins(values.ADMIN_ALLOWED_ORIGINS, [
      `http://127.0.0.1:${ports.service}`,
    ]);
  }
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  const sandboxPort = localPort(values.TWILIO_API_BASE_URL);
  if (sandboxPort !== undefined && sandboxPort !== ports.sandbox) {
    moved.sandbox = { from: values.TWILIO_API_BASE_URL as string, to: sandboxUrl };
    changes.TWILIO_API_BASE_URL = sandboxUrl;
  }
  // A .env written before npm start set it.
  if (sandboxPort !== undefined && !values.TWILIO_REQUEST_TIMEOUT_MS) {
    changes.TWILIO_REQUEST_TIMEOUT_MS = String(SANDBOX_REQUEST_TIMEOUT_MS);
  }
  const differing = Object.entries(changes).filter(([name, value]) => values[name] !== value);
  if (differing.length === 0) return { values, created: false, moved };
  writeFileSync(file, withValues(text, Object.fromEntries(differing)), { mode: 0o600 });
  return { values: { ...values, ...changes }, created: false, moved };
}

/** `text` (a .env) with each of `changes` set: its line rewritten in place, or added at the end. */
function withValues(text: string, changes: Record<string, string>): string {
  const lines = text.split('\n');
  for (const [name, value] of Object.entries(changes)) {
    const at = lines.findIndex((line) => new RegExp(`^\\s*${name}\\s*=`).test(line));
    if (at >= 0) lines[at] = `${name}=${value}`;
    else lines.splice(lines.at(-1) === '' ? lines.length - 1 : lines.length, 0, `${name}=${value}`);
  }
  return lines.join('\n');
}

function createLocalEnv(file: string, ports: LocalPorts): LocalEnv {
  const serviceUrl = `http://localhost:${ports.service}`;
  const values: Record<string, string> = {
    ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`,
    AUTH_TOKEN: randomBytes(16).toString('hex'),
    PUBLIC_BASE_URL: serviceUrl,
    ADMIN_API_KEYS: `admin_${randomBytes(24).toString('base64url')}`,
    TOKEN_TICKET_SECRET: randomBytes(32).toString('base64url'),
    REGISTRY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SYNC_SERVICE_SID: 'default',
    ALLOWED_ORIGINS: localOrigins(ports.service).join(','),
    ADMIN_ALLOWED_ORIGINS: `http://127.0.0.1:${ports.service}`,
    TWILIO_API_BASE_URL: `http://127.0.0.1:${ports.sandbox}`,
    TWILIO_REQUEST_TIMEOUT_MS: String(SANDBOX_REQUEST_TIMEOUT_MS),
  };
  const text = [
    '# Written by `npm start` for the local sandbox: random credentials that only the sandbox knows.',
    '# Delete this file (and .sandbox/) to start over; see .env.example to run against real Twilio.',
    '# The local URLs follow PORT and SANDBOX_PORT at each start.',
    ...Object.entries(values).map(([name, value]) => `${name}=${value}`),
    '',
  ].join('\n');
  writeFileSync(file, text, { mode: 0o600 });
  return { values, created: true, moved: {} };
}
