/**
 * `npm run load:hostile`: does hostile traffic slow genuine callers down? Starts a sandbox and
 * `twilio-run` on dist (loopback only), provisions a tenant, then drives genuine signed /voice calls and
 * /token requests at a steady rate, in rounds that alternate between the genuine traffic alone and the
 * same traffic with a steady stream of forged maximum-size /voice requests beside it
 * (load/hostile-requests.ts). Prints the genuine p50/p99 of both and exits non-zero when the hostile
 * stream raised a genuine p99 by more than half, when any genuine request failed, when any forgery was
 * not refused with 403, or when forgeries made the service re-fetch an auth token more than once per
 * cooldown, or when a 300 MiB chunked recording is not cut off at the 20 MiB cap (hostile-media.ts).
 * Then the floods of load/hostile-floods.ts at full size (20,000 forgeries for random AccountSids,
 * 5,000 for one tenant), with their Sync reads counted. Not part of `npm test`.
 *
 * The genuine traffic runs at a fixed rate, below what the machine can serve, so its latency is the
 * cost of a request plus any wait behind others: a forgery that held the service up shows as a wait.
 * The rounds alternate so that both sides see the same background load of a shared machine, and each
 * side's percentiles are taken over the latencies of all its rounds together.
 * `LOAD_ROUNDS` (default 6), `LOAD_SECONDS` (per round and side, default 2), `GENUINE_RATE`
 * (requests/s per endpoint, default 100), `HOSTILE_RATE` (forgeries/s, default 10),
 * `LOAD_CONNECTIONS` (per endpoint, default 10).
 */
import { TOKEN_REREAD_COOLDOWN_MS } from '../src/voice/webhook-token';
import { startLocalService } from '../testkit/local-service';
import { markdownTable } from '../testkit/markdown-table';
import { provisionTenant, updateTenantRecord } from '../testkit/provision-tenant';
import { runFloods } from './hostile-floods';
import { hostileMediaProblems } from './hostile-media';
import { hostileRequests } from './hostile-requests';
import { failureCount, runLoad, type LoadOptions, type LoadRequest, type LoadResult } from './load-run';
import { tokenRequests } from './token-requests';
import { voiceRequests } from './voice-requests';

const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 6);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 2);
const WARM_UP_SECONDS = 3;
const GENUINE: LoadOptions = {
  connections: Number(process.env.LOAD_CONNECTIONS ?? 10),
  durationSeconds: SECONDS,
  overallRate: Number(process.env.GENUINE_RATE ?? 100),
};
const HOSTILE: LoadOptions = {
  connections: 2,
  durationSeconds: SECONDS,
  overallRate: Number(process.env.HOSTILE_RATE ?? 10),
};
/** The most the hostile stream may raise a genuine p99: by half. */
const MAX_P99_RATIO = 1.5;

interface Endpoint {
  name: string;
  requests: LoadRequest[];
}

/** The `fraction` percentile of every latency of `runs` together, in ms to a tenth. */
function percentile(runs: readonly LoadResult[], fraction: number): number {
  const sorted = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
  return Math.round(value * 10) / 10;
}

async function main(): Promise<void> {
  const origin = 'https://app.example.com';
  // Without twilio-run's request log: its console formatting of a 2000-parameter URL costs more than
  // the service's answer, and Twilio's runtime has no such console.
  const local = await startLocalService({ ALLOWED_ORIGINS: origin }, { requestLogs: false });
  const { sandbox, service, env } = local;
  const tenant = await provisionTenant(sandbox, env, { numbers: 1 });
  await updateTenantRecord(env, tenant, { inboundRouting: { [tenant.numbers[0] as string]: ['alice'] } });
  const genuine: Endpoint[] = [
    { name: 'POST /voice', requests: voiceRequests(service.url, tenant) },
    { name: 'POST /token', requests: tokenRequests(env, origin, tenant) },
  ];
  const forgeries = hostileRequests(tenant);
  const runGenuine = (options: LoadOptions) =>
    genuine.map(({ name, requests }) => runLoad(name, service.url, requests, options));
  const alone: LoadResult[][] = [];
  const beside: LoadResult[][] = [];
  const hostile: LoadResult[] = [];
  const accountReads = () => sandbox.countRequests({ path: `/Accounts/${tenant.sid}.json` });
  let reads = 0;
  const floodProblems: string[] = [];
  try {
    // Untimed first: the first requests load the functions and fill the caches.
    await Promise.all(runGenuine({ ...GENUINE, durationSeconds: WARM_UP_SECONDS }));
    for (let round = 1; round <= ROUNDS; round++) {
      console.error(
        `load:hostile: round ${round} of ${ROUNDS}: ${SECONDS} s alone, ${SECONDS} s beside forgeries`,
      );
      alone.push(await Promise.all(runGenuine(GENUINE)));
      const before = accountReads();
      const [forged, ...results] = await Promise.all([
        runLoad('forged /voice', service.url, forgeries, HOSTILE),
        ...runGenuine(GENUINE),
      ]);
      reads += accountReads() - before;
      hostile.push(forged as LoadResult);
      beside.push(results);
    }
    floodProblems.push(...(await runFloods(local)));
  } finally {
    await local.stop();
  }

  const rows = genuine.map(({ name }, i) => {
    const runsOf = (side: LoadResult[][]) => side.map((round) => round[i] as LoadResult);
    const [without, withHostile] = [runsOf(alone), runsOf(beside)];
    const requests = (runs: LoadResult[]) => runs.reduce((sum, run) => sum + run.requests, 0);
    const ratio = percentile(withHostile, 0.99) / Math.max(percentile(without, 0.99), 0.1);
    return {
      name,
      ratio,
      cells: [
        name,
        `${requests(without)} / ${requests(withHostile)}`,
        percentile(without, 0.5),
        percentile(withHostile, 0.5),
        percentile(without, 0.99),
        percentile(withHostile, 0.99),
        `${ratio.toFixed(2)}x`,
      ],
    };
  });
  console.log(
    markdownTable(
      [
        'genuine',
        'requests alone / beside',
        'p50 ms alone',
        'p50 ms beside',
        'p99 ms alone',
        'p99 ms beside',
        'p99 ratio',
      ],
      rows.map((row) => row.cells),
    ),
  );
  const forgeryCount = hostile.reduce((sum, run) => sum + run.requests, 0);
  const notRefused = hostile.reduce((sum, run) => sum + failureCount(run), 0);
  const seconds = ROUNDS * SECONDS;
  const maxReads = ROUNDS * (Math.ceil((SECONDS * 1000) / TOKEN_REREAD_COOLDOWN_MS) + 1);
  console.log(
    `\nHostile stream: ${forgeryCount} forgeries in ${seconds} s (half at the caps, half with 2000 ` +
      `parameters), answered in p50 ${percentile(hostile, 0.5)} ms and p99 ${percentile(hostile, 0.99)} ms; ` +
      `${notRefused} not refused with 403. Auth-token ` +
      `re-fetches they caused: ${reads} (at most ${maxReads}: one per ${TOKEN_REREAD_COOLDOWN_MS / 1000} s).`,
  );

  const problems = [
    ...rows
      .filter(({ ratio }) => ratio > MAX_P99_RATIO)
      .map(({ name, ratio }) => `${name} p99 rose ${ratio.toFixed(2)}x with the hostile stream`),
    ...[...alone.flat(), ...beside.flat()]
      .filter((result) => failureCount(result) > 0 || result.requests === 0)
      .map((result) => `${result.name} had failures or no requests`),
    ...(notRefused > 0 || forgeryCount === 0 ? ['a forgery was not refused with 403'] : []),
    ...(reads > maxReads ? [`${reads} auth-token re-fetches: more than one per cooldown`] : []),
    ...floodProblems,
    ...(await hostileMediaProblems()),
  ];
  if (problems.length > 0) {
    console.error(`load:hostile: FAILED: ${[...new Set(problems)].join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
