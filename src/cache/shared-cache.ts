import { processWide } from './process-wide';

/**
 * How long a loaded value answers: as it is while younger than `freshMs`; between that and `maxAgeMs`
 * still at once, while one refresh runs beside it (stale-while-revalidate); never past `maxAgeMs`. Ages
 * count from when the load started, so no answer rests on a read begun more than `maxAgeMs` before it.
 */
export interface Lifetime {
  freshMs: number;
  maxAgeMs: number;
}

export interface SharedCacheOptions<V> {
  /** The lifetime of a loaded value (an absent tenant may be kept shorter than a present one). */
  lifetime(value: V): Lifetime;
  /**
   * How long a failed load keeps answering with its error before the next caller loads again, so
   * requests that keep arriving for a key whose load fails cannot turn into a read each. 0: not kept.
   */
  failureMs(error: unknown): number;
  /** After a failed refresh the settled value keeps answering this long before another is tried. */
  refreshRetryMs: number;
  /** Past this many keys, expired entries are dropped, then the oldest. */
  maxEntries: number;
}

export interface Cached<V> {
  value: V;
  /** When the load that produced `value` started. */
  readAt: number;
}

interface Entry<V> {
  settled?: Cached<V> & { lifetime: Lifetime };
  failed?: { error: unknown; until: number };
  /** The load under way: the first one, or a refresh beside a settled value. */
  pending?: Promise<V>;
  /** No refresh is started before this (after one failed). */
  quietUntil: number;
}

/**
 * One cache of loads by key, the only one the hot paths use. Loads are single-flight (however many
 * callers ask at once, one load runs and they all get its outcome), a value answers within its
 * lifetime, and `invalidate` makes the next caller load again (a write made here takes effect here at
 * once). `peek` answers without a promise when a usable value is held, so a warm request waits on
 * nothing.
 */
export class SharedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly options: SharedCacheOptions<V>,
    /** Refreshes under way, for tests that pace a simulated load. */
    private readonly refreshes: Set<Promise<unknown>>,
  ) {}

  /**
   * The value held for `key` when it may answer at `now`, or undefined. With `loader`, a value past its
   * freshness starts one refresh beside it.
   */
  peek(key: string, now: number, loader?: () => Promise<V>): Cached<V> | undefined {
    const entry = this.entries.get(key);
    const settled = entry?.settled;
    if (!entry || !settled) return undefined;
    const age = now - settled.readAt;
    if (age >= settled.lifetime.maxAgeMs) return undefined;
    if (age >= settled.lifetime.freshMs && loader && !entry.pending && entry.quietUntil <= now) {
      void this.refresh(key, entry, now, loader);
    }
    return settled;
  }

  /** The value for `key`: held, or loaded by `loader` once for all callers that ask meanwhile. */
  load(key: string, now: number, loader: () => Promise<V>): Promise<V> {
    const held = this.peek(key, now, loader);
    if (held) return Promise.resolve(held.value);
    const entry = this.entries.get(key);
    if (entry?.failed && entry.failed.until > now) return Promise.reject(entry.failed.error);
    if (entry?.pending) return entry.pending;
    return this.start(key, now, loader);
  }

  /** Holds `value` for `key` as read at `readAt` (a write's own outcome, so no read is needed). */
  set(key: string, value: V, readAt: number): void {
    this.entries.set(key, { settled: this.settledOf(value, readAt), quietUntil: 0 });
  }

  /**
   * A new load for `key` beside the value held (which keeps answering `peek` meanwhile), for a caller
   * that found the held value wrong; shared with a load under way. While a failed one's retry window
   * runs, answers the value held instead (or the failure, when none is held).
   */
  reload(key: string, now: number, loader: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry?.pending) return entry.pending;
    if (entry?.failed && entry.failed.until > now) return Promise.reject(entry.failed.error);
    if (!entry?.settled) return this.start(key, now, loader);
    if (entry.quietUntil > now) return Promise.resolve(entry.settled.value);
    return this.refresh(key, entry, now, loader);
  }

  /** The next caller loads `key` again; a load under way is not kept. */
  invalidate(key: string): void {
    this.entries.delete(key);
  }

  invalidateWhere(matches: (key: string) => boolean): void {
    for (const key of this.entries.keys()) if (matches(key)) this.entries.delete(key);
  }

  private start(key: string, now: number, loader: () => Promise<V>): Promise<V> {
    this.makeRoom(now);
    const entry: Entry<V> = { quietUntil: 0 };
    const pending = loader();
    entry.pending = pending;
    this.entries.set(key, entry);
    pending.then(
      (value) => {
        if (this.entries.get(key) === entry) this.set(key, value, now);
      },
      (error: unknown) => {
        if (this.entries.get(key) !== entry) return;
        const keepMs = this.options.failureMs(error);
        // Counted from when the failure is known: a read retried with backoff may fail long after it began.
        const until = Math.max(now, Date.now()) + keepMs;
        if (keepMs > 0) this.entries.set(key, { failed: { error, until }, quietUntil: 0 });
        else this.entries.delete(key);
      },
    );
    return pending;
  }

  private refresh(key: string, entry: Entry<V>, now: number, loader: () => Promise<V>): Promise<V> {
    const pending = loader();
    entry.pending = pending;
    this.refreshes.add(pending);
    const done = () => this.refreshes.delete(pending);
    pending.then(done, done);
    pending.then(
      (value) => {
        if (this.entries.get(key) === entry) this.set(key, value, now);
      },
      () => {
        entry.pending = undefined;
        entry.quietUntil = Math.max(now, Date.now()) + this.options.refreshRetryMs;
      },
    );
    return pending;
  }

  private settledOf(value: V, readAt: number): Entry<V>['settled'] {
    return { value, readAt, lifetime: this.options.lifetime(value) };
  }

  private makeRoom(now: number): void {
    if (this.entries.size < this.options.maxEntries) return;
    for (const [key, entry] of this.entries) {
      const expired = entry.settled
        ? entry.settled.readAt + entry.settled.lifetime.maxAgeMs <= now
        : !entry.pending && (entry.failed?.until ?? 0) <= now;
      if (expired) this.entries.delete(key);
    }
    // Still full: the oldest keys go (a Map iterates in insertion order).
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.options.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

const refreshesOf = () => processWide('cache.refreshes', () => new Set<Promise<unknown>>());

/**
 * The process's cache named `name` (see process-wide.ts): every function bundle that asks for the same
 * name gets the same cache. `name` must say what its values are and under which configuration they
 * were read (cache-scope.ts).
 */
export function sharedCache<V>(name: string, options: SharedCacheOptions<V>): SharedCache<V> {
  return processWide(`cache:${name}`, () => new SharedCache<V>(options, refreshesOf()));
}

/** For tests and benchmarks: settles once the refreshes started so far have. */
export async function refreshesSettled(): Promise<void> {
  await Promise.allSettled([...refreshesOf()]);
}
