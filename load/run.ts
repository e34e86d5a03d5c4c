/**
 * `npm run load`: a bounded load test of the built service. Starts a sandbox and `twilio-run` on dist
 * (loopback only), provisions a tenant, then drives /voice with signed calls and /token with valid tickets for a fixed time per
 * endpoint, and prints latency percentiles and throughput. Exits non-zero on any error, timeout,
 * non-2xx answer or answer without the expected content. Not part of `npm test`.
 */
import { startLocalService } from '../testkit/local-service';
import { provisionTenant, updateTenantRecord } from '../testkit/provision-tenant';
import { markdownTable } from '../testkit/markdown-table';
import { failureCount, runLoad, type LoadOptions, type LoadResult } from './load-run';
import { tokenRequests } from './token-requests';
import { voiceRequests } from './voice-requests';

const OPTIONS: LoadOptions = {
  connections: Number(process.env.LOAD_CONNECTIONS ?? 10),
  durationSeconds: Number(process.env.LOAD_SECONDS ?? 10),
};

async function main(): Promise<void> {
  const origin = 'https://app.example.com';
  const local = await startLocalService({ ALLOWED_ORIGINS: origin });
  const { sandbox, service, env } = local;
  const publicBaseUrl = service.url;
  const tenant = await provisionTenant(sandbox, env, { numbers: 1 });
  await updateTenantRecord(env, tenant, { inboundRouting: { [tenant.numbers[0] as string]: ['alice'] } });
  const results: LoadResult[] = [];
  try {
    const scenarios = [
      { name: 'POST /voice (browser call + inbound call)', requests: voiceRequests(publicBaseUrl, tenant) },
      { name: 'POST /token (valid tickets)', requests: tokenRequests(env, origin, tenant) },
    ];
    for (const scenario of scenarios) {
      console.error(
        `load: ${scenario.name}, ${OPTIONS.connections} connections for ${OPTIONS.durationSeconds} s ...`,
      );
      const before = sandbox.countRequests();
      const result = await runLoad(scenario.name, service.url, scenario.requests, OPTIONS);
      results.push(result);
      console.error(
        `  Twilio REST requests the service made during the run: ${sandbox.countRequests() - before}`,
      );
    }
  } finally {
    await local.stop();
  }
  console.log(
    markdownTable(
      [
        'endpoint',
        'requests',
        'req/s',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'errors',
        'timeouts',
        'bad status',
        'bad body',
      ],
      results.map((r) => [
        r.name,
        r.requests,
        r.throughput.toFixed(0),
        r.p50,
        r.p90,
        r.p99,
        r.max,
        r.failures.errors,
        r.failures.timeouts,
        r.failures.unexpectedStatus,
        r.failures.unexpectedBody,
      ]),
    ),
  );
  const failed = results.filter((result) => failureCount(result) > 0 || result.requests === 0);
  if (failed.length > 0) {
    console.error(`load: FAILED: ${failed.map((result) => result.name).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
