import { cacheScope } from '../cache/cache-scope';
import { processWide } from '../cache/process-wide';
import type { ServiceConfig } from '../config/config';
import { logger } from '../log/logger';
import { DIRECTORY_MAP, recordedVersion } from './layout';

/**
 * Per page of the directory listed, the least time before the next listing starts. A listing is one
 * request per 100 tenants (Sync's largest page) on the directory Map, which admin paging (list, check,
 * usage) reads too; Sync allows 20 reads per second per object, with a 10 s burst window
 * (https://www.twilio.com/docs/sync/limits). So an instance flooded with unknown SIDs reads the
 * directory at most once a second on average whatever the request rate, and the directory stays under
 * its limit while fewer than about 15 instances are flooded at the same moment (leaving admin paging
 * its share); past that Twilio answers 429, the listing is retried by the client (request-client.ts),
 * and what it cannot list in time is refused like any unknown SID.
 */
export const KNOWN_TENANTS_REFRESH_MS = 1_000;
/** Sync's largest page of Map items. */
const PAGE_SIZE = 100;

interface KnownTenants {
  /** The SIDs of the directory's items as last listed; undefined before the first listing. */
  sids?: Set<string>;
  /**
   * Per SID, the version of the `account` item its directory summary recorded when last listed
   * (item-seal.ts): an `account` item older than it is a restored copy (registry-integrity.md).
   */
  accountVersions: Map<string, number>;
  /** The listing under way and when it started. */
  running?: { done: Promise<void>; startedAt: number };
  /** The listing that waits for its turn, shared by every request that needs one. */
  queued?: Promise<void>;
  /** No listing starts before this. */
  nextAt: number;
  /** Whether the one read allowed before the first listing (`mayReadBeforeListing`) was taken. */
  readBeforeListing: boolean;
  /** Whether the one directory summary read before the first listing (`accountVersionFloor`) was taken. */
  summaryRead?: boolean;
}

const log = logger('registry');

const stateOf = (config: ServiceConfig) =>
  processWide(`known-tenants:${cacheScope(config)}`, (): KnownTenants => ({
    nextAt: 0,
    readBeforeListing: false,
    accountVersions: new Map(),
  }));

/**
 * Whether `sid` is one of our tenants (it has a directory item), answered from memory: an `AccountSid`
 * that is not ours costs no read of its own. A SID missing from the set waits for the next listing of
 * the directory that starts after it arrived (one for all such requests, at most one per
 * KNOWN_TENANTS_REFRESH_MS per page, see above), so a tenant created a moment ago through another
 * instance is found. A listing that fails answers false: a request that cannot be tied to a tenant is
 * refused as if it was not ours, never answered with more reads.
 */
export function isKnownTenant(config: ServiceConfig, sid: string): boolean | Promise<boolean> {
  const state = stateOf(config);
  if (state.sids?.has(sid)) return true;
  return listingAfter(config, state, Date.now()).then(
    () => state.sids?.has(sid) === true,
    () => false,
  );
}

/**
 * True once per instance, while the directory has never been listed on it: the first request of a cold
 * instance may then read its tenant's `account` item (and its directory summary, `accountVersionFloor`)
 * without waiting for a listing, so a tenant's first call there costs one round trip for its
 * signature whatever the size of the directory. One read in an instance's life, whatever arrives: the
 * bound above is unchanged.
 */
export function mayReadBeforeListing(config: ServiceConfig): boolean {
  const state = stateOf(config);
  if (state.sids !== undefined || state.readBeforeListing) return false;
  state.readBeforeListing = true;
  return true;
}

/**
 * The least version a tenant's `account` item may have, from its directory summary (undefined when it
 * records none): a cold instance never trusts an `account` item the directory says is older than the
 * one written last, so an older copy written back into Sync (still carrying a valid MAC) is refused.
 * - Once the directory has been listed on this instance, from memory: the summaries as last listed.
 * - The first floor an unlisted instance needs (its first /voice, `mayReadBeforeListing`, or its
 *   first /token), from the tenant's own summary, read beside its `account` item (tenant-cache.ts):
 *   one round trip whatever the size of the directory, where the listing costs one sequential request
 *   per PAGE_SIZE tenants (ten for a thousand). The listing then starts, for the tenants that come next.
 * - Any other before the listing: from the listing, waited for. One summary read per instance life,
 *   like one page of a listing: every tenant reading its own summary instead would put one read per
 *   tenant and instance on the one directory Map, whose limit is 20 reads per second.
 */
export async function accountVersionFloor(config: ServiceConfig, sid: string): Promise<number | undefined> {
  const state = stateOf(config);
  if (state.sids === undefined && !state.summaryRead) {
    state.summaryRead = true;
    const summary = await directoryOf(config).get(sid);
    setImmediate(listDirectory, config);
    return recordedVersion(summary?.data);
  }
  // Wait for the listing queued (a /voice request for a SID not yet listed queues it, and its `running`
  // is set only once it starts) or running, or start one: it runs beside the `account` item's read.
  if (state.sids === undefined) {
    await (state.queued ?? state.running?.done ?? listingAfter(config, state, Date.now())).catch(
      () => undefined,
    );
  }
  return state.accountVersions.get(sid);
}

/**
 * Starts the instance's first listing of the directory, unless one ran, runs or waits: after its first
 * floor came from a summary read alone (`accountVersionFloor`), so that the SIDs that come next are
 * answered from memory. A listing that fails is logged; the next SID not known starts another.
 */
function listDirectory(config: ServiceConfig): void {
  const state = stateOf(config);
  if (state.sids !== undefined || state.running || state.queued) return;
  listingAfter(config, state, Date.now()).catch(() => undefined);
}

/** Listings queued or running, on any configuration: what `listingsSettled` waits for. */
const unsettled = new Set<Promise<void>>();

/**
 * Settles once no listing is queued or running: one may start after the request that needed it has
 * been answered (`listDirectory`), so a process that ends on purpose (a test file, a benchmark) waits
 * for it rather than cutting it off.
 */
export async function listingsSettled(): Promise<void> {
  // A listing asked for by a request answered in this turn of the event loop starts in the next.
  await new Promise((resolve) => setImmediate(resolve));
  while (unsettled.size > 0) await Promise.allSettled([...unsettled]);
}

/** Adds a tenant this instance has just written, so its next request needs no listing. */
export function rememberKnownTenant(config: ServiceConfig, sid: string): void {
  stateOf(config).sids?.add(sid);
}

function listingAfter(config: ServiceConfig, state: KnownTenants, arrival: number): Promise<void> {
  if (state.running && state.running.startedAt >= arrival) return state.running.done;
  if (!state.queued) {
    const queued = (async () => {
      await state.running?.done.catch(() => undefined);
      const wait = state.nextAt - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      state.queued = undefined;
      const startedAt = Date.now();
      const done = list(config, state, startedAt);
      state.running = { done, startedAt };
      await done;
    })();
    state.queued = queued;
    unsettled.add(queued);
    const settle = () => unsettled.delete(queued);
    queued.then(settle, settle);
  }
  return state.queued;
}

async function list(config: ServiceConfig, state: KnownTenants, startedAt: number): Promise<void> {
  const directory = directoryOf(config);
  const sids = new Set<string>();
  const versions = new Map<string, number>();
  let pages = 0;
  try {
    for (let after: string | undefined; ;) {
      const page = await directory.itemsAfter(after, PAGE_SIZE);
      pages += 1;
      for (const item of page.items) {
        sids.add(item.key);
        const version = recordedVersion(item.data);
        if (version !== undefined) versions.set(item.key, version);
      }
      after = page.items.at(-1)?.key;
      if (!page.more || after === undefined) break;
    }
    state.sids = sids;
    state.accountVersions = versions;
  } catch (error) {
    log.error('listing the tenants of the directory failed', { error: String(error) });
    throw error;
  } finally {
    state.nextAt = startedAt + KNOWN_TENANTS_REFRESH_MS * Math.max(pages, 1);
  }
}

/** The directory Map, with the REST stack loaded on first use (a warm webhook never needs it). */
function directoryOf(config: ServiceConfig) {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { SyncMapStore }: typeof import('./sync-map-store') = require('./sync-map-store');
  const { twilioClients }: typeof import('../twilio/clients') = require('../twilio/clients');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new SyncMapStore<object>(
    twilioClients(config).main,
    config.syncServiceSid,
    DIRECTORY_MAP,
    config.registryKeys,
  );
}
