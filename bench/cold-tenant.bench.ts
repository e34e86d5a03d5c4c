/**
 * Cold and idle tenants at 150 ms per Twilio request: the sequential round trips (and wall time) of a
 * tenant's first /voice and /token on an instance, of a first /voice for an item written before the
 * auth token's copy was kept (today's fallback), and of a /voice for a tenant idle 25 s (its copy past
 * its freshness: answered from it while one refresh runs) and idle 31 s (past the 30 s bound: waits
 * for the read). In-process handlers (src), each tenant's caches cold where the row says so.
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { handler as token } from '../src/functions/token';
import { handler as voice } from '../src/functions/voice';
import { listingsSettled } from '../src/registry/known-tenants';
import { clearTenantCache, refreshesSettled } from '../src/registry/tenant-cache';
import { mintTicket } from '../src/tokens/mint-ticket';
import { invokeFunction } from '../testkit/function-runtime';
import { addTenantsInBulk } from '../testkit/bulk-tenants';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../testkit/provision-tenant';
import { countRoundTrips } from '../testkit/round-trips';
import { serviceEnv } from '../testkit/service-env';
import { callParams, signedWebhookCall } from '../testkit/signed-webhook';
import { ms, type BenchRow } from './harness';

const LATENCY_MS = 150;
const BASE = 'https://voice.example.com';

export async function run(): Promise<BenchRow[]> {
  const sandbox = await startSandbox();
  try {
    const env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: BASE, ALLOWED_ORIGINS: BASE }));
    const inbound = (tenant: ProvisionedTenant) => async () => {
      const answer = await invokeFunction(
        voice,
        signedWebhookCall({
          env,
          path: '/voice',
          params: callParams({ accountSid: tenant.sid, from: '+14155550100', to: tenant.numbers[0] ?? '' }),
          authToken: tenant.authToken,
        }),
      );
      if (!answer.text.includes('<Record')) throw new Error(`unexpected /voice answer: ${answer.text}`);
    };
    const tokenFor = (tenant: ProvisionedTenant) => async () => {
      const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: tenant.sid });
      const answer = await invokeFunction(token, {
        env,
        path: '/token',
        headers: { authorization: `Bearer ${ticket}`, origin: BASE },
      });
      if (answer.statusCode !== 200) throw new Error(`unexpected /token answer: ${answer.text}`);
    };
    // Loads every module of both paths once, so no row pays for a first require.
    const warmup = await provisionTenant(sandbox, env, { authTokenInRegistry: true });
    await inbound(warmup)();
    await tokenFor(warmup)();

    const withCopy = await provisionTenant(sandbox, env, { authTokenInRegistry: true });
    const withoutCopy = await provisionTenant(sandbox, env);
    const cold = async (work: () => Promise<void>) => {
      clearTenantCache();
      return measure(sandbox, work);
    };
    const rows = [
      row(
        'first /voice of a tenant on an instance',
        await cold(inbound(withCopy)),
        'two: the account item, then the number once the signature verified',
      ),
      row('first /token of a tenant on an instance', await cold(tokenFor(withCopy)), 'one round trip'),
      row(
        'first /voice, item written before the auth token copy (fallback)',
        await cold(inbound(withoutCopy)),
        "five, once per tenant: the item, Twilio's token, the copy written (two), the number",
      ),
    ];
    // One read of a tenant serves every function of the instance (src/cache/shared-cache.ts).
    clearTenantCache();
    await inbound(withCopy)();
    rows.push(
      row(
        "/token after the same tenant's /voice on one instance",
        await measure(sandbox, tokenFor(withCopy)),
        'none',
      ),
    );
    const idle = async (seconds: number) => {
      await inbound(withCopy)();
      // The instance's first listing of the directory, started after that first read, long done 25 s on.
      await listingsSettled();
      const realNow = Date.now;
      const offset = seconds * 1000;
      Date.now = () => realNow() + offset;
      try {
        return await measure(sandbox, inbound(withCopy), refreshesSettled);
      } finally {
        Date.now = realNow;
      }
    };
    clearTenantCache();
    rows.push(row('/voice of a tenant idle 25 s', await idle(25), 'no wait (refresh beside it)'));
    clearTenantCache();
    rows.push(row('/voice of a tenant idle 31 s', await idle(31), 'two: the account item, then the number'));
    // A new instance of a service with a thousand tenants: the directory lists in ten pages, one after
    // another; the first call waits for none of them (its tenant's own summary gives the version floor).
    await addTenantsInBulk(sandbox, env, 1000);
    rows.push(
      row(
        'first /voice on a new instance, 1,000 tenants in the directory',
        await cold(inbound(withCopy)),
        'two, as with one tenant (not ten pages of the directory first)',
      ),
    );
    await listingsSettled();
    return rows;
  } finally {
    await sandbox.close();
  }
}

/** The answer's wall time, and the requests made for it and by what it started (`beside`). */
async function measure(sandbox: Sandbox, work: () => Promise<void>, beside?: () => Promise<void>) {
  const started = performance.now();
  let wallMs = 0;
  const counted = await countRoundTrips(
    sandbox,
    async () => {
      await work();
      wallMs = performance.now() - started;
      await beside?.();
    },
    LATENCY_MS,
  );
  return { ...counted, wallMs };
}

function row(name: string, measured: Awaited<ReturnType<typeof measure>>, target: string): BenchRow {
  return {
    name: `${name} (${LATENCY_MS} ms latency)`,
    result: `${ms(measured.wallMs)}; ${measured.requests} REST requests, ${measured.roundTrips} sequential round trips (before the answer, or beside it)`,
    baseline: `${LATENCY_MS} ms per round trip`,
    ratio: measured.wallMs / LATENCY_MS,
    target,
  };
}
