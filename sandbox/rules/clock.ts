/** A timer on the sandbox clock: due at `dueMs` of the clock, whichever of real time or `advance` gets there. */
interface ClockTimer {
  dueMs: number;
  fire(): void;
  real: NodeJS.Timeout;
}

/**
 * The sandbox's clock: real time plus an offset a control can move forward, so a test can let 30 days
 * pass (closed subaccounts deleted), 10 seconds (a Sync rate window emptied) or 30 (a `<Dial>` rung
 * unanswered) without waiting.
 */
export class SandboxClock {
  private offsetMs = 0;
  private readonly timers = new Set<ClockTimer>();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('The sandbox clock only moves forward');
    this.offsetMs += ms;
    for (const timer of [...this.timers]) if (timer.dueMs <= this.now()) timer.fire();
  }

  reset(): void {
    this.offsetMs = 0;
  }

  /**
   * Calls `then` once `ms` of this clock have passed (in real time, or sooner when the clock is
   * advanced); the answer cancels it.
   */
  after(ms: number, then: () => void): () => void {
    const timer: ClockTimer = {
      dueMs: this.now() + ms,
      fire: () => {
        cancel();
        then();
      },
      real: setTimeout(() => timer.fire(), ms).unref(),
    };
    const cancel = () => {
      clearTimeout(timer.real);
      this.timers.delete(timer);
    };
    this.timers.add(timer);
    return cancel;
  }
}
