import type { Sandbox } from '../sandbox';

/**
 * A request that arrives within this long of the one before it belongs to the same round trip: the
 * gap between two sends of one wave (a `Promise.all`, a pool refilling) is a few milliseconds even on
 * a busy 2-core machine, while a request that needed an earlier answer cannot arrive before that
 * answer is released.
 */
const QUIET_MS = 100;

/**
 * How many sequential round trips to Twilio `work` makes, counted in lockstep: the sandbox holds every
 * request it receives and answers the held ones together once at least `latencyMs` has passed since
 * the first of them arrived and none has arrived for QUIET_MS. Each release is one round trip; a
 * request sent after another's answer waits for the next release. Counting releases, not gaps in
 * arrival times, keeps the count right when the machine is slow to send one wave: a wave spread over
 * more than the latency still arrives with gaps far under QUIET_MS. `peakInFlight` is the most requests
 * held at one release, i.e. the most in flight at once.
 */
export async function countRoundTrips(
  sandbox: Sandbox,
  work: () => Promise<unknown>,
  latencyMs = 300,
): Promise<{ roundTrips: number; requests: number; peakInFlight: number }> {
  let held: (() => void)[] = [];
  let firstArrival = 0;
  let timer: NodeJS.Timeout | undefined;
  let roundTrips = 0;
  let requests = 0;
  let peakInFlight = 0;
  const release = () => {
    timer = undefined;
    const wave = held;
    held = [];
    roundTrips += 1;
    peakInFlight = Math.max(peakInFlight, wave.length);
    for (const answer of wave) answer();
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    const now = performance.now();
    timer = setTimeout(release, Math.max(QUIET_MS, firstArrival + latencyMs - now));
  };
  // ServerCore.latency (sandbox/server.ts) is awaited by every REST request once it is logged.
  const latency = sandbox.latency.bind(sandbox);
  sandbox.latency = () =>
    new Promise<void>((resolve) => {
      if (held.length === 0) firstArrival = performance.now();
      held.push(resolve);
      requests += 1;
      schedule();
    });
  try {
    await work();
  } finally {
    sandbox.latency = latency;
    if (timer) clearTimeout(timer);
    for (const answer of held) answer();
  }
  return { roundTrips, requests, peakInFlight };
}
