import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';
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
}

const tokenEntries = perConfig(() => new Map<string, Entry>());

/**
 * The auth token Twilio signs `accountSid`'s webhooks with: the main account's from the configuration,
 * a subaccount's fetched with main credentials (GET /Accounts/{sid} returns it), cached for
 * AUTH_TOKEN_TTL_MS and fetched once however many requests arrive together for it.
 */
export function authTokenOf(config: ServiceConfig, accountSid: string, now = Date.now()): Promise<string> {
  if (accountSid === config.accountSid) return Promise.resolve(config.authToken);
  const entry = tokenEntries.of(config).get(accountSid);
  if (entry && (entry.settledAt === undefined || entry.settledAt + AUTH_TOKEN_TTL_MS > now))
    return entry.token;
  return fetchToken(config, accountSid).token;
}

/**
 * What `authTokenOf` would answer, when that is already known without waiting: the main account's
 * token, or a subaccount's fetched and still fresh. Undefined otherwise (ask `authTokenOf`).
 */
export function settledAuthToken(
  config: ServiceConfig,
  accountSid: string,
  now = Date.now(),
): string | undefined {
  if (accountSid === config.accountSid) return config.authToken;
  const entry = tokenEntries.of(config).get(accountSid);
  return entry?.settledAt !== undefined && entry.settledAt + AUTH_TOKEN_TTL_MS > now
    ? entry.value
    : undefined;
}

/**
 * Called when a request did not verify with `rejectedToken`: the token may have been rotated since it
 * was cached. Fetches it again (shared by concurrent callers) and returns it if it changed; undefined
 * when it did not, or when a re-fetch just showed that mismatches for this account are forgeries.
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
  else if (entry && entry.quietUntil > now) return undefined;
  else {
    // Someone may have re-fetched already: a different cached token is the answer, without a fetch.
    const cached = entry && (await entry.token.catch(() => undefined));
    if (cached !== undefined && cached !== rejectedToken) return cached;
    token = fetchToken(config, accountSid, rejectedToken).token;
  }
  const fresh = await token;
  return fresh === rejectedToken ? undefined : fresh;
}

function fetchToken(config: ServiceConfig, accountSid: string, rejectedToken?: string): Entry {
  const entries = tokenEntries.of(config);
  const token = twilioClients(config)
    .main()
    .api.v2010.accounts(accountSid)
    .fetch()
    .then(
      (account) => account.authToken,
      (error: unknown) => {
        throw fromTwilioError(error, `Fetching the auth token of ${accountSid}`);
      },
    );
  const entry: Entry = { token, quietUntil: 0 };
  entries.set(accountSid, entry);
  token.then(
    (fetched) => {
      entry.settledAt = Date.now();
      entry.value = fetched;
      if (fetched === rejectedToken) entry.quietUntil = entry.settledAt + MISMATCH_REFETCH_COOLDOWN_MS;
    },
    // A failed fetch is not cached: the next request tries again.
    () => {
      if (entries.get(accountSid) === entry) entries.delete(accountSid);
    },
  );
  return entry;
}

/** For tests: start from a cold cache. */
export function clearAuthTokenCache(): void {
  tokenEntries.clear();
}
