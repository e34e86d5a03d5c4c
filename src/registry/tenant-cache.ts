import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';
import { isServiceError } from '../errors/service-error';
import type { NumberItem } from './schema';
import type { TenantAccount } from './subaccount-registry';

/**
 * How long a registry read is trusted on the hot paths (/voice, /token). Warm requests then make no
 * Twilio REST call, and a suspension, a routing change or a key rotation takes effect within this time.
 *
 * What bounds it: Sync allows 20 reads per second per object, an item counting on its Map
 * (https://www.twilio.com/docs/sync/limits). The hot paths read only the tenant's own Map: its
 * `account` item, plus for /voice the item of the number the call is about, each at most once per TTL
 * per Function instance. A tenant's Map is therefore read at most instances x (1 + hot numbers) / 30 s
 * times a second: 10 instances and one number is 0.7 reads/s, and it nears 20 reads/s only when 59
 * distinct numbers of one tenant are each called on every one of 10 instances within 30 s. No Map is
 * shared between tenants, so the number of tenants does not enter (test/registry/hot-read-rate.test.ts
 * drives 1,000 tenants through 10 simulated instances).
 */
export const TENANT_CACHE_TTL_MS = 30_000;
/** Unknown SIDs are remembered for less time, so a just-created subaccount is seen quickly. */
export const UNKNOWN_TENANT_TTL_MS = 5_000;
/**
 * An item refused as invalid is refused again for this long without another read: a tampered item
 * must not turn every request into a Sync read.
 */
export const INVALID_ITEM_TTL_MS = 5_000;
/** Past this many entries, a cache drops its expired ones as it grows (numbers are many). */
const SWEEP_ABOVE_ENTRIES = 10_000;

export type CachedTenant = TenantAccount;

type Entry<T> = {
  expiresAt: number;
  value: Promise<T>;
  /** The read's outcome once it settled, for callers that must not wait on a promise. */
  settled?: { value: T };
};

/**
 * Reads shared per key: cached for a bounded time, and made at most once however many requests
 * arrive together for a key (the first read is shared, not repeated). A failed read is not cached, so
 * the next request tries again, except a refused invalid item, which is refused for a while.
 */
class SharedReads<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly ttlOf: (value: T) => number) {}

  read(key: string, now: number, read: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) return entry.value;
    if (this.entries.size > SWEEP_ABOVE_ENTRIES) this.dropExpired(now);

    const value = read();
    // Until the read settles, concurrent callers share it; then the entry lives for its TTL.
    this.entries.set(key, { expiresAt: Number.POSITIVE_INFINITY, value });
    value.then(
      (settled) => {
        if (this.entries.get(key)?.value === value) {
          this.entries.set(key, { value, expiresAt: now + this.ttlOf(settled), settled: { value: settled } });
        }
      },
      (error: unknown) => {
        if (this.entries.get(key)?.value !== value) return;
        if (isServiceError(error) && error.code === 'registry_item_invalid') {
          this.entries.set(key, { value, expiresAt: now + INVALID_ITEM_TTL_MS });
        } else {
          this.entries.delete(key);
        }
      },
    );
    return value;
  }

  settled(key: string, now: number): { value: T } | undefined {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > now ? entry.settled : undefined;
  }

  private dropExpired(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
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

const tenantReads = perConfig(
  () =>
    new SharedReads<CachedTenant | undefined>((tenant) =>
      tenant ? TENANT_CACHE_TTL_MS : UNKNOWN_TENANT_TTL_MS,
    ),
);
const numberReads = perConfig(() => new SharedReads<NumberItem | null>(() => TENANT_CACHE_TTL_MS));

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
  const settled = tenantReads.of(config).settled(subaccountSid, now);
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
  const settled = numberReads.of(config).settled(`${subaccountSid} ${phoneNumber}`, now);
  return settled && { number: settled.value };
}

/** For tests: start from a cold cache. */
export function clearTenantCache(): void {
  tenantReads.clear();
  numberReads.clear();
}
