/**
 * The registry's read load at the scale of the issue: 1,000 tenants served by 10 Function instances,
 * each instance serving a /token and an inbound /voice call for every tenant every simulated second,
 * for 31 simulated seconds (a cache lifetime and a refresh). Result: the most reads any one Sync
 * object got, per second and over Sync's 10 s burst window, against Sync's 20 reads/s per object
 * (https://www.twilio.com/docs/sync/limits).
 */
import { startSandbox } from '../sandbox';
import { simulateHotReads } from '../test/helpers/hot-read-load';
import { sandboxEnv } from '../test/helpers/provision-tenant';
import { serviceEnv } from '../test/helpers/service-env';
import type { BenchRow } from './harness';

const SYNC_READS_PER_OBJECT_PER_SECOND = 20;

export async function run(): Promise<BenchRow[]> {
  const sandbox = await startSandbox({ validateSpec: false });
  try {
    const env = sandboxEnv(sandbox, serviceEnv());
    const rates = await simulateHotReads(sandbox, env, { tenants: 1000, instances: 10, seconds: 31 });
    return [
      {
        name: 'registry reads, 1,000 tenants x 10 instances (31 simulated s)',
        result: `busiest Sync object: ${rates.peakPerSecondOver10s.toFixed(1)} reads/s over 10 s, ${rates.peakPerSecond} in its busiest second; ${rates.syncReads} reads for ${rates.hotRequests} hot requests`,
        baseline: `Sync's limit: ${SYNC_READS_PER_OBJECT_PER_SECOND} reads/s per object`,
        ratio: rates.peakPerSecondOver10s / SYNC_READS_PER_OBJECT_PER_SECOND,
        target: '< 1x',
      },
    ];
  } finally {
    await sandbox.close();
  }
}
