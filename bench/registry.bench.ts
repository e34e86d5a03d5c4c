/**
 * The registry's read load at the scale of the issue: 1,000 tenants served by 10 Function instances,
 * each instance serving a /token and an inbound /voice call for every tenant every simulated second,
 * for 31 simulated seconds (a cache lifetime and a refresh). Result: the most reads any one Sync
 * object got, per second and over Sync's 10 s burst window, against Sync's 20 reads/s per object
 * (https://www.twilio.com/docs/sync/limits).
 *
 * The tenants run in batches of 100 on an emptied sandbox (whose lookups slow down as its state
 * grows): the hot paths read no Sync object two tenants share, so a batch's figures are the figures of
 * its tenants within the whole load, and the busiest object of all batches is the busiest of the load.
 */
import { startSandbox } from '../sandbox';
import { simulateHotReads, type HotReadRates } from '../test/helpers/hot-read-load';
import { sandboxEnv } from '../test/helpers/provision-tenant';
import { serviceEnv } from '../test/helpers/service-env';
import type { BenchRow } from './harness';

const SYNC_READS_PER_OBJECT_PER_SECOND = 20;
const TENANTS = 1000;
const BATCH = 100;

export async function run(): Promise<BenchRow[]> {
  const sandbox = await startSandbox({ validateSpec: false });
  try {
    const batches: HotReadRates[] = [];
    for (let done = 0; done < TENANTS; done += BATCH) {
      sandbox.reset();
      const env = sandboxEnv(sandbox, serviceEnv());
      batches.push(await simulateHotReads(sandbox, env, { tenants: BATCH, instances: 10, seconds: 31 }));
    }
    const busiest = batches.reduce((a, b) => (b.peakPerSecondOver10s > a.peakPerSecondOver10s ? b : a));
    const peakSecond = Math.max(...batches.map((batch) => batch.peakPerSecond));
    const reads = batches.reduce((sum, batch) => sum + batch.syncReads, 0);
    const requests = batches.reduce((sum, batch) => sum + batch.hotRequests, 0);
    const shared = batches.reduce((sum, batch) => sum + batch.sharedObjectReads, 0);
    if (shared > 0) throw new Error(`the hot paths read a shared Sync object ${shared} times`);
    return [
      {
        name: 'registry reads, 1,000 tenants x 10 instances (31 simulated s)',
        result: `busiest Sync object: ${busiest.peakPerSecondOver10s.toFixed(1)} reads/s over 10 s, ${peakSecond} in its busiest second; ${reads} reads for ${requests} hot requests`,
        baseline: `Sync's limit: ${SYNC_READS_PER_OBJECT_PER_SECOND} reads/s per object`,
        ratio: busiest.peakPerSecondOver10s / SYNC_READS_PER_OBJECT_PER_SECOND,
        target: '< 1x',
      },
    ];
  } finally {
    await sandbox.close();
  }
}
