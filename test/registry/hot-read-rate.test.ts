/**
 * Tenants served by 10 Function instances keep every Sync object far under Sync's 20 reads per second
 * (https://www.twilio.com/docs/sync/limits): each instance serves a /token and an inbound /voice call
 * for every tenant every simulated second, for a cache lifetime and a refresh. No Sync object is shared
 * between tenants, so the per-object figure does not depend on how many there are: this test runs 30
 * (about a thousand sandbox requests), and `npm run bench scale` runs the 1,000 of the issue.
 */
import { simulateHotReads } from '../../testkit/hot-read-load';
import { sandboxEnv } from '../../testkit/provision-tenant';
import { useSandbox } from '../helpers/sandbox';
import { serviceEnv } from '../../testkit/service-env';

jest.setTimeout(240_000);

// Thousands of reads: the spec check of every request is left to the other suites.
const sandbox = useSandbox({ validateSpec: false });

const TENANTS = 30;

it(`keeps every Sync object under 20 reads/s with ${TENANTS} tenants on 10 instances`, async () => {
  const env = sandboxEnv(sandbox(), serviceEnv());
  const rates = await simulateHotReads(sandbox(), env, { tenants: TENANTS, instances: 10, seconds: 31 });
  console.log(
    `${TENANTS} tenants x 10 instances, 31 simulated s: ${rates.hotRequests} hot requests, ${rates.syncReads} Sync reads; ` +
      `busiest object ${rates.busiestObject}: ${rates.peakPerSecond} reads in its busiest second, ` +
      `${rates.peakPerSecondOver10s.toFixed(1)} reads/s over its busiest 10 s`,
  );
  // Each tenant's own Map: 10 instances x (account + number) once per 20 s of freshness.
  expect(rates.peakPerSecond).toBeLessThanOrEqual(20);
  expect(rates.peakPerSecondOver10s).toBeLessThan(20);
  expect(rates.peakPerSecondOver10s).toBeLessThanOrEqual(4);
  expect(rates.busiestObject).toMatch(/^Maps\/subaccount-AC/);
  // The only object tenants share, the directory, is read as an instance starts: its first tenant's
  // own summary (that first call then waits for no page of the listing), then the listing (the set of
  // our tenants' SIDs, known-tenants.ts: one page here). Never per tenant or per request.
  expect(rates.sharedObjectReads).toBeLessThanOrEqual(10 * 2);
});
