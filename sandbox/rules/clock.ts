/**
 * The sandbox's clock: real time plus an offset a control can move forward, so a test can let 30 days
 * pass (closed subaccounts deleted) or 10 seconds (a Sync rate window emptied) without waiting.
 */
export class SandboxClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('The sandbox clock only moves forward');
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
