import type { LoggedRequest, Sandbox } from '../../sandbox';

/**
 * How many sequential round trips to Twilio `work` makes, counted from what the sandbox saw rather
 * than timed: a request's round trip is one more than the latest round trip among the requests already
 * answered when it arrived (a request sent after another's answer depends on it), and the round trips
 * are the longest such chain. The sandbox holds every request for `latencyMs` before answering, so
 * requests sent together all arrive before any of them is answered, however busy the machine; the most
 * requests in flight at once is the sandbox's own count (`peakRequestsInFlight`).
 */
export async function countRoundTrips(
  sandbox: Sandbox,
  work: () => Promise<unknown>,
  latencyMs = 300,
): Promise<{ roundTrips: number; requests: number; peakInFlight: number }> {
  const roundTripOf = new Map<LoggedRequest, number>();
  let unanswered: LoggedRequest[] = [];
  let latestAnswered = 0;
  const log = sandbox.log;
  const push = log.push.bind(log);
  // Each request is logged as it reaches the sandbox, before its latency and its answer.
  log.push = (...entries) => {
    for (const entry of entries) {
      for (const earlier of unanswered)
        if (earlier.status !== null) latestAnswered = Math.max(latestAnswered, roundTripOf.get(earlier) ?? 0);
      unanswered = unanswered.filter((earlier) => earlier.status === null);
      roundTripOf.set(entry, latestAnswered + 1);
      unanswered.push(entry);
    }
    return push(...entries);
  };
  const latency = sandbox.latencyMs;
  sandbox.setLatency(latencyMs);
  sandbox.peakRequestsInFlight = 0;
  try {
    await work();
  } finally {
    sandbox.setLatency(latency);
    delete (log as { push?: unknown }).push;
  }
  return {
    roundTrips: Math.max(0, ...roundTripOf.values()),
    requests: roundTripOf.size,
    peakInFlight: sandbox.peakRequestsInFlight,
  };
}
