/**
 * A tenant's first /voice and /token on an instance, and a tenant past its cache's freshness: how many
 * sequential round trips to Twilio they make (the sandbox answers in lockstep: testkit/round-trips.ts),
 * and that a change made through the registry takes effect at once on the instance that made it.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import { handler as token } from '../../src/functions/token';
import { handler as voice } from '../../src/functions/voice';
import { loadConfig } from '../../src/config/config';
import { subaccountRegistry } from '../../src/registry/registry';
import { sealAuthToken } from '../../src/registry/tenant-auth-token';
import {
  TENANT_FRESH_MS,
  TENANT_MAX_AGE_MS,
  cachedTenant,
  clearTenantCache,
  refreshesSettled,
  peekTenant,
} from '../../src/registry/tenant-cache';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { invokeFunction } from '../../testkit/function-runtime';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { addTenantsInBulk } from '../../testkit/bulk-tenants';
import { countRoundTrips } from '../../testkit/round-trips';
import { serviceEnv } from '../../testkit/service-env';
import { callParams, signedWebhookCall } from '../../testkit/signed-webhook';
import { verbsOf } from '../../testkit/twiml';

const BASE = 'https://voice.example.com';
let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: BASE, ALLOWED_ORIGINS: BASE }));
});

afterAll(() => sandbox.close());

beforeEach(() => {
  clearTenantCache();
});

const inboundCall = (tenant: ProvisionedTenant, authToken = tenant.authToken) =>
  invokeFunction(
    voice,
    signedWebhookCall({
      env,
      path: '/voice',
      params: callParams({ accountSid: tenant.sid, from: '+14155550100', to: tenant.numbers[0] ?? '' }),
      authToken,
    }),
  );

const accountFetches = (tenant: ProvisionedTenant) =>
  sandbox.countRequests({ method: 'GET', path: `/2010-04-01/Accounts/${tenant.sid}.json` });

// Every write to a Sync Map (item created, updated or removed).
const syncWrites = () => sandbox.requests({ path: '/Maps/' }).filter((r) => r.method !== 'GET').length;

describe("a tenant's first request on an instance", () => {
  it('/voice makes one round trip for its signature and one for its number when the item carries the token', async () => {
    const tenant = await provisionTenant(sandbox, env, { authTokenInRegistry: true });
    const fetchesBefore = accountFetches(tenant);
    let text = '';
    const { roundTrips } = await countRoundTrips(sandbox, async () => {
      text = (await inboundCall(tenant)).text;
    });
    expect(verbsOf(text)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    // The `account` item (beside the listing of the tenants, known-tenants.ts), then, once the
    // signature verified with its copy of the token, the called number's item.
    expect(roundTrips).toBe(2);
    expect(accountFetches(tenant)).toBe(fetchesBefore);
  });

  it('/token makes one round trip', async () => {
    const tenant = await provisionTenant(sandbox, env, { authTokenInRegistry: true });
    const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: tenant.sid });
    let status = 0;
    const { roundTrips } = await countRoundTrips(sandbox, async () => {
      const answer = await invokeFunction(token, {
        env,
        path: '/token',
        headers: { authorization: `Bearer ${ticket}`, origin: BASE },
      });
      status = answer.statusCode;
    });
    expect(status).toBe(200);
    expect(roundTrips).toBe(1);
  });

  it('/voice fetches the token from Twilio for an item written before the copy was kept, and writes nothing', async () => {
    const tenant = await provisionTenant(sandbox, env);
    const fetchesBefore = accountFetches(tenant);
    const writesBefore = syncWrites();
    let text = '';
    const { roundTrips } = await countRoundTrips(sandbox, async () => {
      text = (await inboundCall(tenant)).text;
    });
    expect(verbsOf(text)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    // The `account` item; Twilio's token; the number. No copy is written: the request may be forged, so
    // it changes nothing (`check` with repair adds the copy).
    expect(roundTrips).toBe(3);
    expect(accountFetches(tenant)).toBe(fetchesBefore + 1);
    expect(syncWrites()).toBe(writesBefore);
    // The token read serves this instance meanwhile: the next request asks Twilio nothing.
    expect(verbsOf((await inboundCall(tenant)).text)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(accountFetches(tenant)).toBe(fetchesBefore + 1);
    // A forgery is still refused, and still writes nothing.
    expect((await inboundCall(tenant, 'f'.repeat(32))).statusCode).toBe(403);
    expect(syncWrites()).toBe(writesBefore);
    expect((await subaccountRegistry(loadConfig(env)).get(tenant.sid))?.data.authToken).toBeUndefined();
  });

  it('/voice re-reads a token the registry holds an outdated copy of, and still refuses forgeries', async () => {
    const tenant = await provisionTenant(sandbox, env);
    const config = loadConfig(env);
    // As if the token was rotated on Twilio after the copy was written.
    await subaccountRegistry(config).update(tenant.sid, (record) => ({
      ...record,
      authToken: sealAuthToken(config.registryEncryptionKey, tenant.sid, 'f'.repeat(32)),
    }));
    const fetchesBefore = accountFetches(tenant);
    expect(verbsOf((await inboundCall(tenant)).text)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(accountFetches(tenant)).toBe(fetchesBefore + 1);
    expect((await inboundCall(tenant, 'f'.repeat(31) + 'e')).statusCode).toBe(403);
  });
});

describe('a tenant past its freshness', () => {
  it('is answered from its copy while one refresh runs, and waits only once the copy is too old', async () => {
    const tenant = await provisionTenant(sandbox, env, { authTokenInRegistry: true });
    const config = loadConfig(env);
    const start = Date.now();
    await cachedTenant(config, tenant.sid, start);
    const reads = () => sandbox.countRequests({ method: 'GET', path: /\/Maps\/subaccount-AC[^/]+\/Items/ });
    const before = reads();

    // Fresh: no read at all.
    expect(peekTenant(config, tenant.sid, start + TENANT_FRESH_MS - 1)?.value?.account.sid).toBe(tenant.sid);
    expect(reads()).toBe(before);
    // Stale but young enough: the copy answers at once, and several requests start one refresh.
    const stale = start + TENANT_FRESH_MS + 1;
    expect(peekTenant(config, tenant.sid, stale)?.value?.account.sid).toBe(tenant.sid);
    expect(peekTenant(config, tenant.sid, stale + 1)?.value?.account.sid).toBe(tenant.sid);
    await refreshesSettled();
    expect(reads()).toBe(before + 1);
    // The refresh counts from when it started: a copy older than the bound is never answered.
    expect(peekTenant(config, tenant.sid, stale + TENANT_MAX_AGE_MS - 1)).toBeDefined();
    expect(peekTenant(config, tenant.sid, stale + TENANT_MAX_AGE_MS)).toBeUndefined();
  });

  it('sees a change made through the registry at once on the instance that made it', async () => {
    const tenant = await provisionTenant(sandbox, env, { authTokenInRegistry: true });
    const config = loadConfig(env);
    expect((await cachedTenant(config, tenant.sid))?.account.status).toBe('active');
    await subaccountRegistry(config).update(tenant.sid, (record) => ({ ...record, status: 'suspended' }));
    expect(peekTenant(config, tenant.sid)).toBeUndefined();
    expect((await cachedTenant(config, tenant.sid))?.account.status).toBe('suspended');
    expect((await inboundCall(tenant)).text).toContain('<Reject');
  });
});

describe('a directory of more tenants than one page', () => {
  it("a tenant's first /voice and /token wait for no page of the listing", async () => {
    // 250 tenants besides this file's: the directory lists in three pages of 100 (known-tenants.ts).
    await addTenantsInBulk(sandbox, env, 250);
    const tenant = await provisionTenant(sandbox, env, { authTokenInRegistry: true });

    clearTenantCache();
    let text = '';
    const voiceTrips = await countRoundTrips(sandbox, async () => {
      text = (await inboundCall(tenant)).text;
    });
    expect(verbsOf(text)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    // The `account` item and the tenant's own directory summary (its version floor), then the number;
    // the listing of the directory (three pages, one after another) starts after the summary, for the
    // SIDs that come next. Waiting for it would make four.
    expect(voiceTrips.roundTrips).toBe(2);

    clearTenantCache();
    const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: tenant.sid });
    let status = 0;
    const tokenTrips = await countRoundTrips(sandbox, async () => {
      status = (
        await invokeFunction(token, {
          env,
          path: '/token',
          headers: { authorization: `Bearer ${ticket}`, origin: BASE },
        })
      ).statusCode;
    });
    expect(status).toBe(200);
    expect(tokenTrips.roundTrips).toBe(1);
  });
});
