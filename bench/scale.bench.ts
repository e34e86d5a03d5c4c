/**
 * The admin sweeps and the hot paths at the scale of a thousand customers, against the sandbox at
 * 150 ms per Twilio request: 1,000 subaccounts (made in bulk in the sandbox's state, each in step with
 * its registry item as after a `create`), then
 * - a full `list`, a full `check` and a full usage summary, each as the calls an operator makes
 *   (largest pages, following `nextCursor`): calls, REST requests, total time, and the slowest call
 *   against the 10 s a Function may run (target: none over 8 s);
 * - hot traffic: each of 10 simulated Function instances serving a /token and an inbound /voice call
 *   for every tenant every simulated second for 31 simulated seconds, counting reads per second per Sync
 *   object against Sync's 20 (https://www.twilio.com/docs/sync/limits). The tenants run in batches of
 *   100 on an emptied sandbox: the hot paths read no Sync object two tenants share, so the busiest
 *   object of all batches is the busiest of the whole load.
 * The sandbox runs in this process without checking requests against Twilio's specs, so its own work
 * (a few ms a request on a loaded machine) stays small beside the latency it stands in for.
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { adminDeps, type AdminDeps } from '../src/admin/deps';
import { checkAll, checkParameters } from '../src/admin/check/check';
import { listParameters, listSubaccounts } from '../src/admin/subaccounts/list';
import { usageParameters, usageSummary } from '../src/admin/usage/usage';
import { loadConfig } from '../src/config/config';
import { addTenantsInBulk } from '../testkit/bulk-tenants';
import { simulateHotReads, type HotReadRates } from '../testkit/hot-read-load';
import { sandboxEnv } from '../testkit/provision-tenant';
import { serviceEnv } from '../testkit/service-env';
import { ms, type BenchRow } from './harness';

const TENANTS = 1000;
const LATENCY_MS = 150;
const FUNCTION_LIMIT_MS = 10_000;
const SYNC_READS_PER_OBJECT_PER_SECOND = 20;
const HOT_BATCH = 100;

export async function run(): Promise<BenchRow[]> {
  const sweeps = await sweepRows();
  return [...sweeps, await hotReadRow()];
}

interface Sweep {
  calls: number;
  requests: number;
  totalMs: number;
  slowestMs: number;
  detail: string;
}

/** Calls `call` with each cursor it answers until it answers none; counts and times each call. */
async function sweepWith(
  sandbox: Sandbox,
  call: (cursor: string | undefined) => Promise<{ nextCursor?: string; detail?: string }>,
): Promise<Sweep> {
  const sweep: Sweep = { calls: 0, requests: 0, totalMs: 0, slowestMs: 0, detail: '' };
  let cursor: string | undefined;
  do {
    const requests = sandbox.log.length;
    const started = performance.now();
    const answer = await call(cursor);
    const took = performance.now() - started;
    sweep.calls += 1;
    sweep.requests += sandbox.log.length - requests;
    sweep.totalMs += took;
    sweep.slowestMs = Math.max(sweep.slowestMs, took);
    if (answer.detail) sweep.detail = answer.detail;
    cursor = answer.nextCursor;
  } while (cursor);
  return sweep;
}

function sweepRow(name: string, sweep: Sweep): BenchRow {
  return {
    name: `${name}, ${TENANTS} subaccounts (${LATENCY_MS} ms latency)`,
    result: `${sweep.calls} calls, ${sweep.requests} REST requests (${(sweep.requests / TENANTS).toFixed(2)} per subaccount), ${(sweep.totalMs / 1000).toFixed(1)} s in all${sweep.detail}`,
    baseline: `slowest call ${ms(sweep.slowestMs)} of the ${FUNCTION_LIMIT_MS / 1000} s limit`,
    ratio: sweep.slowestMs / FUNCTION_LIMIT_MS,
    target: 'no call over 8 s (< 0.8x)',
  };
}

async function sweepRows(): Promise<BenchRow[]> {
  const sandbox = await startSandbox({ validateSpec: false, limits: { syncRateLimits: true } });
  try {
    const env = sandboxEnv(sandbox, serviceEnv());
    console.error(`  making ${TENANTS} subaccounts in the sandbox ...`);
    await addTenantsInBulk(sandbox, env, TENANTS);
    const deps: AdminDeps = adminDeps(loadConfig(env));
    sandbox.setLatency(LATENCY_MS);

    const list = await sweepWith(sandbox, async (cursor) => {
      const page = await listSubaccounts(deps, listParameters.parse({ pageSize: 100, cursor }));
      return { nextCursor: page.nextCursor };
    });
    let checked = 0;
    let drifted = 0;
    const check = await sweepWith(sandbox, async (cursor) => {
      const page = await checkAll(deps, checkParameters.parse({ pageSize: 100, cursor }));
      checked += page.subaccounts.length;
      drifted += page.subaccounts.filter((result) => !result.inStep).length;
      return { nextCursor: page.nextCursor, detail: `; ${checked} checked, ${drifted} drifted` };
    });
    let pending = 0;
    const usage = await sweepWith(sandbox, async (cursor) => {
      const page = await usageSummary(
        deps,
        usageParameters.parse({ startDate: '2026-01-01', endDate: '2026-01-31', pageSize: 50, cursor }),
      );
      pending += page.pending.length;
      return { nextCursor: page.nextCursor, detail: pending ? `; ${pending} left pending` : '' };
    });
    return [
      sweepRow('full `list` (pages of 100)', list),
      sweepRow('full `check` (pages of 100)', check),
      sweepRow('full usage summary (pages of 50)', usage),
    ];
  } finally {
    await sandbox.close();
  }
}

async function hotReadRow(): Promise<BenchRow> {
  const sandbox = await startSandbox({ validateSpec: false });
  try {
    const batches: HotReadRates[] = [];
    for (let done = 0; done < TENANTS; done += HOT_BATCH) {
      sandbox.reset();
      const env = sandboxEnv(sandbox, serviceEnv());
      batches.push(await simulateHotReads(sandbox, env, { tenants: HOT_BATCH, instances: 10, seconds: 31 }));
    }
    const busiest = batches.reduce((a, b) => (b.peakPerSecondOver10s > a.peakPerSecondOver10s ? b : a));
    const peakSecond = Math.max(...batches.map((batch) => batch.peakPerSecond));
    const reads = batches.reduce((sum, batch) => sum + batch.syncReads, 0);
    const requests = batches.reduce((sum, batch) => sum + batch.hotRequests, 0);
    const shared = batches.reduce((sum, batch) => sum + batch.sharedObjectReads, 0);
    if (shared > 0) throw new Error(`the hot paths read a shared Sync object ${shared} times`);
    return {
      name: `hot registry reads, ${TENANTS} tenants x 10 instances (31 simulated s)`,
      result: `busiest Sync object: ${busiest.peakPerSecondOver10s.toFixed(1)} reads/s over 10 s, ${peakSecond} in its busiest second; ${reads} reads for ${requests} hot requests`,
      baseline: `Sync's limit: ${SYNC_READS_PER_OBJECT_PER_SECOND} reads/s per object`,
      ratio: busiest.peakPerSecondOver10s / SYNC_READS_PER_OBJECT_PER_SECOND,
      target: '< 1x, no second over 20',
    };
  } finally {
    await sandbox.close();
  }
}
