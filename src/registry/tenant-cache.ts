import { cacheScope } from '../cache/cache-scope';
import { clearProcessWide } from '../cache/process-wide';
import { sharedCache, type Cached, type Lifetime } from '../cache/shared-cache';
import type { ServiceConfig } from '../config/config';
import { isServiceError } from '../errors/service-error';
import { invalidItem } from './item-errors';
import { accountVersionFloor } from './known-tenants';
import type { NumberItem } from './schema';
import type { TenantAccount } from './tenant-reads';

export { refreshesSettled } from '../cache/shared-cache';

/**
 * How a registry read is trusted on the hot paths (/voice, its callbacks, /token), through the one
 * process-wide cache (cache/shared-cache.ts): warm requests make no Twilio REST call, one read of a
 * tenant serves every function of the instance, and a change made through this service takes effect
 * within TENANT_MAX_AGE_MS everywhere, and at once on the instance that made it (the registry's writes
 * forget the copies held there, see `forgetTenant`).
 * - Younger than TENANT_FRESH_MS, a copy answers as it is.
 * - Between that and TENANT_MAX_AGE_MS it still answers at once, and the request starts one refresh
 *   beside it that the requests after it share; so a tenant called at least every 30 s never waits on
 *   Sync after its first call.
 * - Older, a request waits for a new read (a Function instance cannot refresh between requests: it is
 *   frozen while idle).
 *
 * What bounds it: Sync allows 20 reads per second per object, an item counting on its Map, with a 10 s
 * burst window (https://www.twilio.com/docs/sync/limits). The hot paths read only the tenant's own Map:
 * its `account` item, and for /voice, once the signature verified, the item of the number the call is
 * about, each at most once per TENANT_FRESH_MS per instance while it is busy, and a failed read at most
 * once per FAILED_READ_MS. A tenant's Map is therefore read at most instances x (1 + hot numbers) / 20 s
 * times a second: 10 instances and one number is 1 read/s, and it nears 20 reads/s only when 39
 * distinct numbers of one tenant are each called on every one of 10 instances within 20 s. Forged
 * requests read no number item (the signature comes first), and SIDs that are not ours read nothing
 * (known-tenants.ts).
 */
export const TENANT_FRESH_MS = 20_000;
export const TENANT_MAX_AGE_MS = 30_000;
/** A tenant without an `account` item is remembered for less time, so a create finishing is seen quickly. */
export const UNKNOWN_TENANT_TTL_MS = 5_000;
/**
 * An item refused as invalid is refused again for this long without another read: a tampered item
 * must not turn every request into a Sync read.
 */
export const INVALID_ITEM_TTL_MS = 5_000;
/** A read that failed (throttled, Sync unreachable) answers its error this long before the next read. */
export const FAILED_READ_MS = 1_000;
/** Entries per cache before expired ones are dropped (numbers are many). */
const MAX_ENTRIES = 10_000;

const KNOWN: Lifetime = { freshMs: TENANT_FRESH_MS, maxAgeMs: TENANT_MAX_AGE_MS };
const UNKNOWN: Lifetime = { freshMs: UNKNOWN_TENANT_TTL_MS, maxAgeMs: UNKNOWN_TENANT_TTL_MS };

const failureMs = (error: unknown) =>
  isServiceError(error) && error.code === 'registry_item_invalid' ? INVALID_ITEM_TTL_MS : FAILED_READ_MS;

const tenantsOf = (config: ServiceConfig) =>
  sharedCache<TenantAccount | undefined>(`tenant.account:${cacheScope(config)}`, {
    lifetime: (tenant) => (tenant ? KNOWN : UNKNOWN),
    failureMs,
    refreshRetryMs: FAILED_READ_MS,
    maxEntries: MAX_ENTRIES,
  });

const numbersOf = (config: ServiceConfig) =>
  sharedCache<NumberItem | null>(`tenant.number:${cacheScope(config)}`, {
    lifetime: () => KNOWN,
    failureMs,
    refreshRetryMs: FAILED_READ_MS,
    maxEntries: MAX_ENTRIES,
  });

/**
 * The hot reads (tenant-reads.ts), loaded on the first cold read: they bring the REST client and the
 * item checks, which a warm webhook never needs, so a Function's cold start does not pay for them
 * before its first read.
 */
function readsOf(config: ServiceConfig) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { tenantReads }: typeof import('./tenant-reads') = require('./tenant-reads');
  return tenantReads(config);
}

/**
 * Reads the `account` item; one older than the version its directory summary recorded (a copy written
 * back into Sync, known-tenants.ts `accountVersionFloor`) is refused like any invalid item.
 */
const accountLoader = (config: ServiceConfig, sid: string) => async () => {
  const [tenant, floor] = await Promise.all([readsOf(config).account(sid), accountVersionFloor(config, sid)]);
  if (tenant && floor !== undefined && tenant.version < floor) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ACCOUNT_ITEM, itemName, tenantMapName }: typeof import('./layout') = require('./layout');
    throw invalidItem(
      itemName(tenantMapName(sid), ACCOUNT_ITEM),
      'it is older than the version its directory summary records: a restored copy',
    );
  }
  return tenant;
};

/** The `account` item of a subaccount as the hot paths see it (validated, cached, shared); undefined: none. */
export function cachedTenant(
  config: ServiceConfig,
  subaccountSid: string,
  now = Date.now(),
): Promise<TenantAccount | undefined> {
  return tenantsOf(config).load(subaccountSid, now, accountLoader(config, subaccountSid));
}

/**
 * What `cachedTenant` would answer, when a usable read is held (a warm request then waits on no
 * promise), with when that read started; undefined otherwise (ask `cachedTenant`).
 */
export function peekTenant(
  config: ServiceConfig,
  subaccountSid: string,
  now = Date.now(),
): Cached<TenantAccount | undefined> | undefined {
  return tenantsOf(config).peek(subaccountSid, now, accountLoader(config, subaccountSid));
}

const numberKey = (subaccountSid: string, phoneNumber: string) => `${subaccountSid} ${phoneNumber}`;
const numberLoader = (config: ServiceConfig, sid: string, phoneNumber: string) => () =>
  readsOf(config).number(sid, phoneNumber);

/** The item of one number of a subaccount (null: it holds no such number), cached like the tenant. */
export function cachedNumber(
  config: ServiceConfig,
  subaccountSid: string,
  phoneNumber: string,
  now = Date.now(),
): Promise<NumberItem | null> {
  return numbersOf(config).load(
    numberKey(subaccountSid, phoneNumber),
    now,
    numberLoader(config, subaccountSid, phoneNumber),
  );
}

/** What `cachedNumber` would answer, when a usable read holds it. */
export function peekNumber(
  config: ServiceConfig,
  subaccountSid: string,
  phoneNumber: string,
  now = Date.now(),
): Cached<NumberItem | null> | undefined {
  return numbersOf(config).peek(
    numberKey(subaccountSid, phoneNumber),
    now,
    numberLoader(config, subaccountSid, phoneNumber),
  );
}

/**
 * Forgets what this instance holds of a subaccount (its `account` item and number items): called by
 * the registry after each of its writes, so a change takes effect at once on the instance that made
 * it, in every function it runs.
 */
export function forgetTenant(config: ServiceConfig, subaccountSid: string): void {
  tenantsOf(config).invalidate(subaccountSid);
  const prefix = `${subaccountSid} `;
  numbersOf(config).invalidateWhere((key) => key.startsWith(prefix));
}

/** For tests: start from cold caches (every process-wide cache, not only the tenants'). */
export function clearTenantCache(): void {
  clearProcessWide();
}
