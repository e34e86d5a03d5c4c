import pLimit from 'p-limit';

/**
 * A Function is killed after 10 s. Work that grows with the data (numbers, calls, subaccounts) stops
 * starting new items once this much of the call has passed, and reports what is left instead, so the
 * caller repeats the call rather than losing a half-done one.
 */
export const WORK_BUDGET_MS = 7000;

/** How many Twilio requests an operation keeps in flight at once; more mostly earns 429s. */
export const TWILIO_CONCURRENCY = 10;

export interface TimeBudget {
  /** True while new work may still start. */
  hasTime(): boolean;
}

export function timeBudget(ms = WORK_BUDGET_MS, started = performance.now()): TimeBudget {
  return { hasTime: () => performance.now() - started < ms };
}

export interface BoundedRun<T, R> {
  results: R[];
  /** Items not started because the budget ran out; the operation reports them for a next call. */
  notStarted: T[];
}

/**
 * Runs `work` over `items` with at most `concurrency` in flight, starting no item once the budget is
 * spent. A failure of one item fails the run (after the items in flight settle), like Promise.all.
 */
export async function runBounded<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  budget: TimeBudget,
  concurrency = TWILIO_CONCURRENCY,
): Promise<BoundedRun<T, R>> {
  const limit = pLimit(concurrency);
  const notStarted: T[] = [];
  const outcomes = await Promise.allSettled(
    items.map((item) =>
      limit(async () => {
        if (!budget.hasTime()) {
          notStarted.push(item);
          return undefined;
        }
        return { value: await work(item) };
      }),
    ),
  );
  const results: R[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') throw outcome.reason;
    if (outcome.value) results.push(outcome.value.value);
  }
  return { results, notStarted };
}
