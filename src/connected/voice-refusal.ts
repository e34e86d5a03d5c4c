import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';
import { logger } from '../log/logger';
import { twilioClients } from '../twilio/clients';
import { verifyOwnCredentials } from './own-credentials';

/** What a caller hears on a connected account whose token Twilio refuses. */
export const CREDENTIALS_REJECTED_SPEECH =
  'This call cannot be connected: the phone account it belongs to must have its credentials updated by an administrator. Goodbye.';

/**
 * A connected account's webhook did not verify with the token we hold: either a forgery, or its owner
 * changed the token in their Console (Twilio then signs with one we do not have). One probe tells
 * them apart: the token we hold, tried on GET /Accounts/{sid}.json, is refused (401, 20003) only in
 * the second case, which is then recorded (credentials-rejected.ts: /token and /voice refuse, the
 * event is sent once). Bounded: at most one probe per account per PROBE_COOLDOWN_MS per instance,
 * shared by every request meanwhile, so forged traffic costs one Sync read and one Accounts request
 * a minute per account at most.
 */
export const PROBE_COOLDOWN_MS = 60_000;

const probes = perConfig(() => new Map<string, { at: number; rejected: Promise<boolean> }>());
const log = logger('connected');

export function ownCredentialsRejected(
  config: ServiceConfig,
  accountSid: string,
  now = Date.now(),
): Promise<boolean> {
  const entries = probes.of(config);
  const entry = entries.get(accountSid);
  if (entry && now - entry.at < PROBE_COOLDOWN_MS) return entry.rejected;
  const rejected = probe(config, accountSid).catch((error: unknown) => {
    log.debug('probe of a connected account failed', { accountSid, error: String(error) });
    return false;
  });
  entries.set(accountSid, { at: now, rejected });
  return rejected;
}

async function probe(config: ServiceConfig, accountSid: string): Promise<boolean> {
  // The registry (zod, the REST stack) is loaded here, off the warm path, as tenant-cache.ts does.
  const { subaccountRegistry, openAuthToken, markCredentialsRejected } = coldModules();
  const registry = subaccountRegistry(config);
  const tenant = await registry.readAccount(accountSid);
  const account = tenant?.account;
  if (account?.kind !== 'connected' || !account.authToken || account.status !== 'active') return false;
  if (account.connection?.credentialsRejected) return true;
  const token = openAuthToken(config.registryKeys, accountSid, account.authToken);
  const verdict = await verifyOwnCredentials(twilioClients(config), accountSid, token);
  if (verdict.accepted) return false;
  await markCredentialsRejected({ config, registry, now: () => new Date() }, accountSid, verdict.twilioCode);
  return true;
}

/** What a probe needs that a warm webhook never does, loaded on the first probe. */
function coldModules() {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded lazily on purpose */
  const registry: typeof import('../registry/registry') = require('../registry/registry');
  const sealed: typeof import('../registry/tenant-auth-token') = require('../registry/tenant-auth-token');
  const marking: typeof import('./credentials-rejected') = require('./credentials-rejected');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { ...registry, ...sealed, ...marking };
}

/** For tests: forget the probes made. */
export function clearCredentialProbes(): void {
  probes.clear();
}
