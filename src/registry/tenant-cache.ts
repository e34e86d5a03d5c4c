import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';
import { isServiceError } from '../errors/service-error';
import type { NumberItem } from './schema';
import type { TenantAccount } from './subaccount-registry';

/**
 * How a registry read is trusted on the hot paths (/voice, /token): warm requests make no Twilio REST
 * call, and a change made through this service takes effect within TENANT_MAX_AGE_MS everywhere, and
 * at once on the instance that made it (the registry's writes forget the copies held there, see
 * `forgetTenant`).
 * - Younger than TENANT_FRESH_MS, a copy answers as it is.
 * - Between that and TENANT_MAX_AGE_MS (stale-while-revalidate), it still answers at once, and the
 *   request starts one refresh in the background that the requests after it share; so a tenant
 *   called at least every 30 s never waits on Sync after its first call.
 * - Older, a request waits for a new read (a Function instance cannot refresh between requests: it is
 *   frozen while idle). A copy's age counts from when its read started, so no answer rests on a read
 *   begun more than TENANT_MAX_AGE_MS before it.
 *
 * What bounds it: Sync allows 20 reads per second per object, an item counting on its Map
 * (https://www.twilio.com/docs/sync/limits). The hot paths read only the tenant's own Map: its
 * `account` item, plus for /voice the item of the number the call is about, each at most once per
 * TENANT_FRESH_MS per Function instance while it is busy. A tenant's Map is therefore read at most
 * instances x (1 + hot numbers) / 20 s times a second: 10 instances and one number is 1 read/s, and it
 * nears 20 reads/s only when 39 distinct numbers of one tenant are each called on every one of 10
 * instances within 20 s. No Map is shared between tenants, so the number of tenants does not enter
 * (test/registry/hot-read-rate.test.ts drives 100 tenants through 10 simulated instances, `npm run
 * bench scale` 1,000).
 */
export const TENANT_FRESH_MS = 20_000;
export const TENANT_MAX_AGE_MS = 30_000;
/** Unknown SIDs are remembered for less time (and never served stale), so a new subaccount is seen quickly. */
export const UNKNOWN_TENANT_TTL_MS = 5_000;
/**
 * An item refused as invalid is refused again for this long without another read: a tampered item
 * must not turn every request into a Sync read.
 */
export const INVALID_ITEM_TTL_MS = 5_000;
/** After a background refresh failed, the copy keeps answering this long before another is tried. */
const REFRESH_RETRY_MS = 2_000;
/** Past this many entries, a cache drops its expired ones as it grows (numbers are many). */
const SWEEP_ABOVE_ENTRIES = 10_000;

export type CachedTenant = TenantAccount;

/** How long a read's outcome answers: at once, and (when a refresh is started) at most. */
interface Lifetime {
  freshMs: number;
  maxAgeMs: number;
}

type Entry<T> = {
  /** When the read that made the entry started. */
  readAt: number;
  lifetime: Lifetime;
  value: Promise<T>;
  /** The read's outcome once it settled, for callers that must not wait on a promise. */
  settled?: { value: T };
  /** A background refresh under way, or until when none is to be started after one failed. */
  refreshing?: Promise<T>;
  quietUntil?: number;
};

/** Background refreshes under way, across caches (for tests and benchmarks that pace a simulated load). */
const refreshes = new Set<Promise<unknown>>();

const IN_FLIGHT: Lifetime = { freshMs: Number.POSITIVE_INFINITY, maxAgeMs: Number.POSITIVE_INFINITY };

/**
 * Reads shared per key: cached for a bounded time, and made at most once however many requests
 * arrive together for a key (the first read is shared, not repeated); past its freshness a settled
 * copy answers while one refresh runs. A failed read is not cached, so the next request tries again,
 * except a refused invalid item, which is refused for a while.
 */
class SharedReads<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly lifetimeOf: (value: T) => Lifetime) {}

  read(key: string, now: number, read: () => Promise<T>): Promise<T> {
    const entry = this.usable(key, now, read);
    if (entry) return entry.value;
    return this.start(key, now, read).value;
  }

  /** The settled copy that may answer now (starting a refresh when it is past its freshness). */
  settled(key: string, now: number, read: () => Promise<T>): { value: T } | undefined {
    return this.usable(key, now, read)?.settled;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  forgetWhere(matches: (key: string) => boolean): void {
    for (const key of this.entries.keys()) if (matches(key)) this.entries.delete(key);
  }

  private usable(key: string, now: number, read: () => Promise<T>): Entry<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const age = now - entry.readAt;
    if (age < entry.lifetime.freshMs) return entry;
    if (age >= entry.lifetime.maxAgeMs || !entry.settled) return undefined;
    if (!entry.refreshing && (entry.quietUntil ?? 0) <= now) this.refresh(key, entry, now, read);
    return entry;
  }

  private start(key: string, now: number, read: () => Promise<T>): Entry<T> {
    if (this.entries.size > SWEEP_ABOVE_ENTRIES) this.dropExpired(now);
    const value = read();
    // Until the read settles, concurrent callers share it; then the entry lives for its lifetime.
    const entry: Entry<T> = { readAt: now, lifetime: IN_FLIGHT, value };
    this.entries.set(key, entry);
    value.then(
      (settled) => {
        if (this.entries.get(key) === entry) {
          this.entries.set(key, {
            readAt: now,
            lifetime: this.lifetimeOf(settled),
            value,
            settled: { value: settled },
          });
        }
      },
      (error: unknown) => {
        if (this.entries.get(key) !== entry) return;
        if (isServiceError(error) && error.code === 'registry_item_invalid') {
          const lifetime = { freshMs: INVALID_ITEM_TTL_MS, maxAgeMs: INVALID_ITEM_TTL_MS };
          this.entries.set(key, { readAt: now, lifetime, value });
        } else {
          this.entries.delete(key);
        }
      },
    );
    return entry;
  }

  /** One read beside the copy: its outcome replaces the entry; a failure keeps the copy for a while. */
  private refresh(key: string, entry: Entry<T>, now: number, read: () => Promise<T>): void {
    const value = read();
    entry.refreshing = value;
    refreshes.add(value);
    const done = () => refreshes.delete(value);
    value.then(done, done);
    value.then(
      (settled) => {
        if (this.entries.get(key) !== entry) return;
        this.entries.set(key, {
          readAt: now,
          lifetime: this.lifetimeOf(settled),
          value,
          settled: { value: settled },
        });
      },
      () => {
        entry.refreshing = undefined;
        entry.quietUntil = now + REFRESH_RETRY_MS;
      },
    );
  }

  private dropExpired(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.readAt + entry.lifetime.maxAgeMs <= now) this.entries.delete(key);
    }
  }
}

/**
 * The registry, loaded on the first cold read: it brings the schemas (zod) and the REST stack, which
 * a warm webhook never needs, so a Function's cold start does not pay for them before its first read.
 */
function registryOf(config: ServiceConfig) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { subaccountRegistry }: typeof import('./registry') = require('./registry');
  return subaccountRegistry(config);
}

const KNOWN: Lifetime = { freshMs: TENANT_FRESH_MS, maxAgeMs: TENANT_MAX_AGE_MS };
const UNKNOWN: Lifetime = { freshMs: UNKNOWN_TENANT_TTL_MS, maxAgeMs: UNKNOWN_TENANT_TTL_MS };

const tenantReads = perConfig(
  () => new SharedReads<CachedTenant | undefined>((tenant) => (tenant ? KNOWN : UNKNOWN)),
);
const numberReads = perConfig(() => new SharedReads<NumberItem | null>(() => KNOWN));

/** The `account` item of a subaccount as the hot paths see it (validated, cached, shared). */
export function cachedTenant(
  config: ServiceConfig,
  subaccountSid: string,
  now = Date.now(),
): Promise<CachedTenant | undefined> {
  return tenantReads.of(config).read(subaccountSid, now, () => registryOf(config).readAccount(subaccountSid));
}

/**
 * What `cachedTenant` would answer, when that is already known: a settled, fresh read. Undefined when
 * there is none (ask `cachedTenant`). A warm webhook then answers without waiting on any promise.
 */
export function settledTenant(
  config: ServiceConfig,
  subaccountSid: string,
  now = Date.now(),
): { tenant: CachedTenant | undefined } | undefined {
  const settled = tenantReads
    .of(config)
    .settled(subaccountSid, now, () => registryOf(config).readAccount(subaccountSid));
  return settled && { tenant: settled.value };
}

/** The item of one number of a subaccount (null: it holds no such number), cached like the tenant. */
export function cachedNumber(
  config: ServiceConfig,
  subaccountSid: string,
  phoneNumber: string,
  now = Date.now(),
): Promise<NumberItem | null> {
  return numberReads
    .of(config)
    .read(`${subaccountSid} ${phoneNumber}`, now, () =>
      registryOf(config).readNumber(subaccountSid, phoneNumber),
    );
}

/** What `cachedNumber` would answer, when a settled, fresh read holds it. */
export function settledNumber(
  config: ServiceConfig,
  subaccountSid: string,
  phoneNumber: string,
  now = Date.now(),
): { number: NumberItem | null } | undefined {
  const settled = numberReads
    .of(config)
    .settled(`${subaccountSid} ${phoneNumber}`, now, () =>
      registryOf(config).readNumber(subaccountSid, phoneNumber),
    );
  return settled && { number: settled.value };
}

/**
 * Forgets what this instance holds of a subaccount (its `account` item and number items): called by
 * the registry after each of its writes, so a change takes effect at once on the instance that made it.
 */
export function forgetTenant(config: ServiceConfig, subaccountSid: string): void {
  tenantReads.of(config).forget(subaccountSid);
  const prefix = `${subaccountSid} `;
  numberReads.of(config).forgetWhere((key) => key.startsWith(prefix));
}

/** For tests and benchmarks: settles once the background refreshes started so far have. */
export async function refreshesSettled(): Promise<void> {
  await Promise.allSettled([...refreshes]);
}

/** For tests: start from a cold cache. */
export function clearTenantCache(): void {
  tenantReads.clear();
  numberReads.clear();
}
