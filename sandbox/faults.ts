import seedrandom from 'seedrandom';
import { matches, type RequestFacts, type RequestMatch } from './request-match';

/**
 * `timeout-before`: the request is held and never applied; `timeout-after`: it is applied and its answer
 * lost. Either way the connection is dropped after `holdMs` (never, by default, until the sandbox closes).
 */
export type FaultKind = '429' | '500' | '503' | 'timeout-before' | 'timeout-after';

export interface FaultOptions {
  match?: RequestMatch;
  holdMs?: number;
}

export interface Fault {
  kind: FaultKind;
  holdMs?: number;
}

export interface RouteRates extends RequestMatch {
  rate429?: number;
  rate5xx?: number;
}

export interface FaultRates {
  rate429?: number;
  rate5xx?: number;
  /** Same seed, same faults on the same request sequence. */
  seed?: string;
  routes?: RouteRates[];
}

interface Queued extends Fault {
  remaining: number;
  match?: RequestMatch;
}

export class FaultPlan {
  private queue: Queued[] = [];
  private rates: FaultRates = {};
  private random: () => number = seedrandom('sandbox');

  /** Fail the n-th next request that matches (n = 1: the very next one). */
  failRequest(n: number, kind: FaultKind, options: FaultOptions = {}): void {
    if (!Number.isInteger(n) || n < 1) throw new Error('failRequest: n must be a positive integer');
    this.queue.push({ remaining: n, kind, holdMs: options.holdMs, match: options.match });
  }

  setRates(rates: FaultRates): void {
    this.rates = rates;
    this.random = seedrandom(rates.seed ?? 'sandbox');
  }

  clear(): void {
    this.queue = [];
    this.setRates({});
  }

  /** The fault for this request, if any; counts it against every queued fault it matches. */
  next(request: RequestFacts): Fault | undefined {
    let due: Queued | undefined;
    for (const queued of this.queue) {
      if (!matches(queued.match, request)) continue;
      queued.remaining -= 1;
      // One fault per request: another one due now fires on the next matching request.
      if (queued.remaining === 0 && due) queued.remaining = 1;
      else if (queued.remaining === 0) due = queued;
    }
    this.queue = this.queue.filter((queued) => queued !== due);
    if (due) return { kind: due.kind, holdMs: due.holdMs };
    return this.fromRates(request);
  }

  private fromRates(request: RequestFacts): Fault | undefined {
    const route = this.rates.routes?.find((r) => matches(r, request));
    const rate429 = route?.rate429 ?? this.rates.rate429 ?? 0;
    const rate5xx = route?.rate5xx ?? this.rates.rate5xx ?? 0;
    if (!rate429 && !rate5xx) return undefined;
    const draw = this.random();
    if (draw < rate429) return { kind: '429' };
    if (draw < rate429 + rate5xx) return { kind: this.random() < 0.5 ? '500' : '503' };
    return undefined;
  }
}
