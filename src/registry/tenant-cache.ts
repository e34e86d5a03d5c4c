import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';
import { subaccountRegistry } from './registry';
import type { SubaccountRecord } from './types';

/**
 * How long a registry read is trusted on the hot paths (/voice, /token). Warm requests then make no
 * Twilio REST call, and a suspension, a routing change or a key rotation takes effect within this time.
 */
export const TENANT_CACHE_TTL_MS = 30_000;
/** Unknown SIDs are remembered for less time, so a just-created subaccount is seen quickly. */
export const UNKNOWN_TENANT_TTL_MS = 5_000;

export interface CachedTenant {
  record: SubaccountRecord;
  revision: string;
}

type Entry = {
  expiresAt: number;
  value: Promise<CachedTenant | undefined>;
  /** The read's outcome once it settled, for callers that must not wait on a promise. */
  settled?: { tenant: CachedTenant | undefined };
};
const tenantEntries = perConfig(() => new Map<string, Entry>());

/**
 * The registry item of a subaccount as the hot paths see it: cached for a bounded time, and read at
 * most once however many requests arrive together for it (the first read is shared, not repeated).
 * A failed read is not cached, so the next request tries again.
 */
export function cachedTenant(
  config: ServiceConfig,
  subaccountSid: string,
  now = Date.now(),
): Promise<CachedTenant | undefined> {
  const entries = tenantEntries.of(config);
  const entry = entries.get(subaccountSid);
  if (entry && entry.expiresAt > now) return entry.value;

  const value = subaccountRegistry(config)
    .get(subaccountSid)
    .then((stored) => (stored ? { record: stored.data, revision: stored.revision } : undefined));
  // Until the read settles, concurrent callers share it; then the entry lives for its TTL.
  entries.set(subaccountSid, { expiresAt: Number.POSITIVE_INFINITY, value });
  value.then(
    (tenant) => {
      if (entries.get(subaccountSid)?.value === value) {
        entries.set(subaccountSid, {
          value,
          expiresAt: Date.now() + (tenant ? TENANT_CACHE_TTL_MS : UNKNOWN_TENANT_TTL_MS),
          settled: { tenant },
        });
      }
    },
    () => {
      if (entries.get(subaccountSid)?.value === value) entries.delete(subaccountSid);
    },
  );
  return value;
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
  const entry = tenantEntries.of(config).get(subaccountSid);
  return entry && entry.expiresAt > now ? entry.settled : undefined;
}

/** For tests: start from a cold cache. */
export function clearTenantCache(): void {
  tenantEntries.clear();
}
