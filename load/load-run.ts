import autocannon from 'autocannon';

/** One request of a load scenario, with what its answer must contain to count as a success. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The status a correct answer has; any 2xx when not given. */
  status?: number;
  expect(body: string): boolean;
}

export interface LoadResult {
  name: string;
  requests: number;
  /** Requests per second, averaged over the run. */
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Every answer's latency in ms, in the order they came: for percentiles over several runs. */
  latencies: number[];
  /** Connection errors, timeouts, answers with another status and answers without the expected content. */
  failures: { errors: number; timeouts: number; unexpectedStatus: number; unexpectedBody: number };
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; as fast as answers come when not given. */
  overallRate?: number;
}

/**
 * Runs `requests` in turn on every connection against `url` for a bounded time (autocannon stops by
 * itself), checking each answer's body.
 */
export async function runLoad(
  name: string,
  url: string,
  requests: readonly LoadRequest[],
  options: LoadOptions,
): Promise<LoadResult> {
  let unexpectedStatus = 0;
  let unexpectedBody = 0;
  const latencies: number[] = [];
  const settings: autocannon.Options = {
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    timeout: 10,
    requests: requests.map(({ expect, status: expected, ...request }) => ({
      ...request,
      onResponse: (status: number, body: string) => {
        const statusOk = expected === undefined ? status >= 200 && status < 300 : status === expected;
        if (!statusOk) unexpectedStatus += 1;
        else if (!expect(body)) unexpectedBody += 1;
      },
    })),
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(settings, (error: unknown, done: autocannon.Result) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  return {
    name,
    requests: result.requests.total,
    throughput: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    latencies,
    failures: { errors: result.errors, timeouts: result.timeouts, unexpectedStatus, unexpectedBody },
  };
}

export const failureCount = (result: LoadResult): number =>
  Object.values(result.failures).reduce((sum, count) => sum + count, 0);
