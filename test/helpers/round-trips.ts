import type { Sandbox } from '../../sandbox';

/**
 * How many sequential round trips to Twilio `work` makes: with the sandbox answering every request
 * after `latencyMs`, requests sent together arrive within a few milliseconds of each other, and a
 * request sent after another's answer arrives at least `latencyMs` later. Arrivals are grouped into
 * waves on that gap; the waves are the round trips. Each request is in flight for `latencyMs` after it
 * arrives, so the most arrivals within any `latencyMs` is the most requests in flight at once.
 */
export async function countRoundTrips(
  sandbox: Sandbox,
  work: () => Promise<unknown>,
  latencyMs = 300,
): Promise<{ roundTrips: number; requests: number; peakInFlight: number }> {
  const arrivals: number[] = [];
  const log = sandbox.log;
  const push = log.push.bind(log);
  // Arrivals are logged as each request reaches the sandbox, before its latency.
  log.push = (...entries) => {
    for (let i = 0; i < entries.length; i++) arrivals.push(performance.now());
    return push(...entries);
  };
  const latency = sandbox.latencyMs;
  sandbox.setLatency(latencyMs);
  try {
    await work();
  } finally {
    sandbox.setLatency(latency);
    delete (log as { push?: unknown }).push;
  }
  let roundTrips = 0;
  let waveStart = Number.NEGATIVE_INFINITY;
  for (const at of arrivals) {
    if (at - waveStart >= latencyMs * 0.8) {
      roundTrips += 1;
      waveStart = at;
    }
  }
  let peakInFlight = 0;
  for (let first = 0, last = 0; last < arrivals.length; last++) {
    while ((arrivals[last] as number) - (arrivals[first] as number) >= latencyMs) first++;
    peakInFlight = Math.max(peakInFlight, last - first + 1);
  }
  return { roundTrips, requests: arrivals.length, peakInFlight };
}
