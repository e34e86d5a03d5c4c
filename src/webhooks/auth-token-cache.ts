import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';
import { openAuthToken } from '../registry/tenant-auth-token';
import { settledTenant } from '../registry/tenant-cache';
import type { EncryptedSecret } from '../registry/types';
import { twilioClients } from '../twilio/clients';
import { fromTwilioError } from '../twilio/rest-errors';

/**
 * How long a subaccount's auth token is trusted without asking Twilio again. A rotation is noticed
 * sooner, by the signature mismatch it causes (see `refreshedAuthToken`); this bounds how long a token
 * that was rotated away twice (so never mismatching a request signed with it) stays usable.
 */
export const AUTH_TOKEN_TTL_MS = 10 * 60_000;
/**
 * After a re-fetch on a mismatch returned the same token (the request was forged, not signed with a
 * rotated token), further mismatches do not re-fetch for this long: forged requests cannot make the
 * service hammer the Accounts API.
 */
export const MISMATCH_REFETCH_COOLDOWN_MS = 2_000;

interface Entry {
  token: Promise<string>;
  /** When the fetch settled; undefined while it is in flight. */
  settledAt?: number;
  /** The token once fetched, for callers that must not wait on a promise. */
  value?: string;
  /** Until when a mismatch does not trigger a re-fetch. */
  quietUntil: number;
  /**
   * A re-fetch after a mismatch, while it is in flight. The token above stays in use meanwhile:
   * replacing it would make every genuine request for the account wait on Twilio each time a forgery
   * triggered a re-fetch.
   */
  refresh?: Promise<string>;
}

const tokenEntries = perConfig(() => new Map<string, Entry>());
// Decrypted once per registry read of the `account` item (a new read brings a new object).
const openedTokens = new WeakMap<EncryptedSecret, string>();

/**
 * The copy of the auth token the subaccount's `account` item carries, when the tenant cache holds
 * that item settled: a cold tenant's signature is then checked with the one registry read /voice made
 * anyway, not a second round trip to the Accounts API. Undefined without one (an item written before
 * the copy was kept, or one whose copy does not decrypt): the caller fetches the token from Twilio.
 */
function registryAuthToken(config: ServiceConfig, accountSid: string, now: number): string | undefined {
  const sealed = settledTenant(config, accountSid, now)?.tenant?.account.authToken;
  if (!sealed) return undefined;
  let token = openedTokens.get(sealed);
  if (token === undefined) {
    try {
      token = openAuthToken(config.registryKeys, accountSid, sealed);
    } catch {
      return undefined;
    }
    openedTokens.set(sealed, token);
  }
  return token;
}

/**
 * The auth token Twilio signs `accountSid`'s webhooks with: the main account's from the configuration;
 * a subaccount's as last fetched from Twilio on this instance (cached for AUTH_TOKEN_TTL_MS, then
 * fetched again); on an instance that never fetched it, the copy in its registry item
 * (`registryAuthToken`); else fetched with main credentials (GET /Accounts/{sid} returns it), once
 * however many requests arrive together for it. So the copy serves cold instances only, and once a
 * mismatch made an instance fetch the token, Twilio's answer is what it trusts from then on. A token
 * rotated on Twilio outside this service stays accepted by instances that never saw a mismatch until
 * `check` with repair replaces the copy (check compares it with Twilio's on every sweep).
 */
export function authTokenOf(config: ServiceConfig, accountSid: string, now = Date.now()): Promise<string> {
  if (accountSid === config.accountSid) return Promise.resolve(config.authToken);
  const entry = tokenEntries.of(config).get(accountSid);
  if (entry && (entry.settledAt === undefined || entry.settledAt + AUTH_TOKEN_TTL_MS > now))
    return entry.token;
  const copy = entry ? undefined : registryAuthToken(config, accountSid, now);
  if (copy !== undefined) return Promise.resolve(copy);
  return fetchToken(config, accountSid).token;
}

/**
 * What `authTokenOf` would answer, when that is already known without waiting: the main account's
 * token, a subaccount's fetched and still fresh, or the copy in its settled registry item. Undefined
 * otherwise (ask `authTokenOf`).
 */
export function settledAuthToken(
  config: ServiceConfig,
  accountSid: string,
  now = Date.now(),
): string | undefined {
  if (accountSid === config.accountSid) return config.authToken;
  const entry = tokenEntries.of(config).get(accountSid);
  if (!entry) return registryAuthToken(config, accountSid, now);
  return entry.settledAt !== undefined && entry.settledAt + AUTH_TOKEN_TTL_MS > now ? entry.value : undefined;
}

/**
 * Called when a request did not verify with `rejectedToken`: the token may have been rotated since it
 * was cached. Fetches it again (shared by concurrent callers, the cached token still answering
 * `settledAuthToken` meanwhile) and returns it if it changed; undefined when it did not, or when a
 * re-fetch just showed that mismatches for this account are forgeries (or Twilio failed it).
 */
export async function refreshedAuthToken(
  config: ServiceConfig,
  accountSid: string,
  rejectedToken: string,
  now = Date.now(),
): Promise<string | undefined> {
  if (accountSid === config.accountSid) return undefined;
  const entry = tokenEntries.of(config).get(accountSid);
  let token: Promise<string>;
  if (entry && entry.settledAt === undefined) token = entry.token;
  else if (entry?.refresh) token = entry.refresh;
  else if (entry && entry.quietUntil > now) return undefined;
  else if (entry?.value !== undefined && entry.value !== rejectedToken) {
    // Someone has re-fetched already: the cached token is a different one, the answer without a fetch.
    return entry.value;
  } else token = entry ? refetch(config, accountSid, entry) : fetchToken(config, accountSid).token;
  const fresh = await token;
  return fresh === rejectedToken ? undefined : fresh;
}

/**
 * Fetches the token of `entry`'s account again, beside the cached one: a different token replaces it
 * (a rotation); the same one, or a failure, keeps it and starts the cooldown, so neither forgeries nor
 * an outage make the service ask Twilio more than once per MISMATCH_REFETCH_COOLDOWN_MS.
 */
function refetch(config: ServiceConfig, accountSid: string, entry: Entry): Promise<string> {
  const entries = tokenEntries.of(config);
  const refresh = fetchAccountToken(config, accountSid);
  entry.refresh = refresh;
  refresh.then(
    (fetched) => {
      entry.refresh = undefined;
      if (fetched === entry.value) entry.quietUntil = Date.now() + MISMATCH_REFETCH_COOLDOWN_MS;
      else entries.set(accountSid, settledEntry(fetched));
    },
    () => {
      entry.refresh = undefined;
      entry.quietUntil = Date.now() + MISMATCH_REFETCH_COOLDOWN_MS;
    },
  );
  return refresh;
}

function fetchToken(config: ServiceConfig, accountSid: string): Entry {
  const entries = tokenEntries.of(config);
  const entry: Entry = { token: fetchAccountToken(config, accountSid), quietUntil: 0 };
  entries.set(accountSid, entry);
  entry.token.then(
    (fetched) => {
      entry.settledAt = Date.now();
      entry.value = fetched;
    },
    // A failed fetch is not cached: the next request tries again.
    () => {
      if (entries.get(accountSid) === entry) entries.delete(accountSid);
    },
  );
  return entry;
}

function settledEntry(token: string): Entry {
  return { token: Promise.resolve(token), settledAt: Date.now(), value: token, quietUntil: 0 };
}

/** GET /Accounts/{sid} with the main credentials: Twilio answers a subaccount's auth token. */
function fetchAccountToken(config: ServiceConfig, accountSid: string): Promise<string> {
  return twilioClients(config)
    .main()
    .api.v2010.accounts(accountSid)
    .fetch()
    .then(
      (account) => account.authToken,
      (error: unknown) => {
        throw fromTwilioError(error, `Fetching the auth token of ${accountSid}`);
      },
    );
}

/** For tests: start from a cold cache. */
export function clearAuthTokenCache(): void {
  tokenEntries.clear();
}
