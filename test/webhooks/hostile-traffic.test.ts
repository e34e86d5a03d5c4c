/**
 * The attacks on the voice webhooks, performed over HTTP against the built service (twilio-run on
 * dist, two instances of it, one sandbox), at a size that runs in seconds (`npm run load:hostile` runs
 * them at full size), counting the Sync and REST requests they cost:
 * - a flood of unsigned and made-up-signature /voice requests for random AccountSids;
 * - made-up /voice requests for one known tenant, each to a new number, beside its genuine calls;
 * - a tenant's auth token rotated on Twilio;
 * and the two promises of the process-wide cache: a suspension through an instance refuses tokens on
 * that instance at once, and one tenant read serves /voice and /token.
 */
import { findVerb, type Sandbox } from '../../sandbox';
import { KNOWN_TENANTS_REFRESH_MS } from '../../src/registry/known-tenants';
import { ACCOUNT_ITEM, tenantMapName } from '../../src/registry/layout';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { TOKEN_REREAD_COOLDOWN_MS } from '../../src/voice/webhook-token';
import { startEventReceiver, type EventReceiver } from '../helpers/event-receiver';
import {
  floodUnknownAccounts,
  forgeForTenant,
  postWebhook,
  syncReadsSince,
} from '../../testkit/hostile-webhooks';
import { postAdmin } from '../../testkit/admin-http';
import { startLocalService, type LocalService } from '../../testkit/local-service';
import { provisionTenant, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { adminKeyOf } from '../../testkit/service-env';
import { callParams } from '../../testkit/signed-webhook';
import { itemOf } from '../helpers/sync-items';
import { serveDist, type ServedService } from '../../testkit/twilio-run-server';
import { twimlOf, verbsOf } from '../../testkit/twiml';

jest.setTimeout(180_000);

const FLOOD = 500;
const FORGERIES = 300;

let local: LocalService;
let sandbox: Sandbox;
let other: ServedService;
let events: EventReceiver;
/** Instance A (`local.service`) and instance B (`other`): two processes serving one public URL. */
let a: { serviceUrl: string; publicBaseUrl: string };
let b: { serviceUrl: string; publicBaseUrl: string };

beforeAll(async () => {
  events = await startEventReceiver('whsec_hostile_traffic_test_secret');
  local = await startLocalService(
    { EVENTS_WEBHOOK_URL: events.url, EVENTS_WEBHOOK_SECRET: 'whsec_hostile_traffic_test_secret' },
    { requestLogs: false },
  );
  sandbox = local.sandbox;
  other = await serveDist(local.env, { requestLogs: false });
  a = { serviceUrl: local.service.url, publicBaseUrl: local.env.PUBLIC_BASE_URL ?? '' };
  b = { serviceUrl: other.url, publicBaseUrl: a.publicBaseUrl };
});

afterAll(async () => {
  await other?.stop();
  await local?.stop();
  await events?.close();
});

const tenantOf = (options: Parameters<typeof provisionTenant>[2] = {}) =>
  provisionTenant(sandbox, local.env, { authTokenInRegistry: true, ...options });

const browserCall = (
  target: typeof a,
  tenant: ProvisionedTenant,
  authToken = tenant.authToken,
  path = '/voice',
) =>
  postWebhook(
    target,
    path,
    callParams({ accountSid: tenant.sid, from: 'client:alice', to: '+14155550199' }),
    authToken,
  );

const postToken = (target: typeof a, tenant: ProvisionedTenant) =>
  fetch(`${target.serviceUrl}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${mintTicket(local.env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: tenant.sid })}`,
      Origin: a.publicBaseUrl,
    },
  });

const admin = (target: typeof a, path: `/admin/${string}`, body: Record<string, unknown>) =>
  postAdmin(target.serviceUrl, path, body, { Authorization: `Bearer ${adminKeyOf(local.env)}` });

const dialled = (answer: { text: string }) => verbsOf(answer.text).join();

// First in the file: instance B must not have served a request yet.
describe('an old copy of the account item written back after the rotation was repaired', () => {
  it('does not make a cold instance accept T1 again: the directory summary names a newer version', async () => {
    const tenant = await tenantOf();
    const map = tenantMapName(tenant.sid);
    // What Sync held while T1 was the token: a copy the service itself wrote, so its MAC is valid.
    const withT1 = structuredClone(itemOf(sandbox, map, ACCOUNT_ITEM).data);
    const t2 = sandbox.rotateAuthToken(tenant.sid);
    const repaired = await admin(a, '/admin/subaccounts/check', { subaccountSid: tenant.sid, repair: true });
    expect(repaired.status).toBe(200);
    itemOf(sandbox, map, ACCOUNT_ITEM).data = withT1;

    // B has served nothing yet: a cold instance, whose first request finds the old copy in Sync.
    expect((await browserCall(b, tenant, tenant.authToken)).status).toBe(403);
    expect((await browserCall(b, tenant, t2)).text).not.toContain('<Dial');
  });
});

describe('unsigned and made-up /voice requests for random AccountSids', () => {
  it(`${FLOOD} cost no read of their own: all 403, a tenant made meanwhile is served, admin calls succeed`, async () => {
    const known = await tenantOf();
    // Instance A has listed the tenants once already (a warm instance).
    expect(dialled(await browserCall(a, known))).toBe('Dial>Number');
    // Instance B has served an admin call already (a warm instance).
    expect((await admin(b, '/admin/subaccounts/get', { subaccountSid: known.sid })).status).toBe(200);
    // A tenant created through another writer a moment before the flood, first called on A during it.
    const fresh = await tenantOf({ friendlyName: 'Made a moment earlier' });
    const logStart = sandbox.log.length;
    const throttledBefore = sandbox.countRequests({ status: 429 });
    const started = Date.now();

    // Many at once: a SID missing from the set waits for the next listing (at most a second), so the
    // flood's pace is its concurrency per second, as for an attacker holding connections open: a
    // quarter of the flood at a time, four listings' worth.
    const flood = floodUnknownAccounts(a, FLOOD, FLOOD / 4);
    const [freshCall, ...adminAnswers] = await Promise.all([
      browserCall(a, fresh),
      // On the other instance: the flooded one is busy answering, which the machine running this test
      // shares; what must hold is that the flood leaves Sync unthrottled for everyone.
      ...Array.from({ length: 5 }, () => admin(b, '/admin/subaccounts/get', { subaccountSid: known.sid })),
    ]);
    const statuses = await flood;
    const seconds = (Date.now() - started) / 1000;

    expect(statuses.filter((status) => status !== 403)).toEqual([]);
    expect(dialled(freshCall)).toBe('Dial>Number');
    expect(
      adminAnswers.map((answer) => [answer.status, answer.status === 200 ? '' : JSON.stringify(answer.body)]),
    ).toEqual(Array.from({ length: 5 }, () => [200, '']));
    expect(sandbox.countRequests({ status: 429 })).toBe(throttledBefore);

    const reads = syncReadsSince(sandbox, logStart);
    // No Sync object of an unknown SID is read: only the directory, our tenants' own Maps.
    const tenantMaps = new Set([known.sid, fresh.sid].map((sid) => `Maps/subaccount-${sid}`));
    const elsewhere = [...reads.keys()].filter(
      (object) => object !== 'Maps/subaccounts' && !tenantMaps.has(object),
    );
    expect(elsewhere).toEqual([]);
    // The directory: at most one listing per KNOWN_TENANTS_REFRESH_MS on the one flooded instance
    // (one page each: fewer than 100 tenants), whatever the rate, and one more at either end.
    const listings = reads.get('Maps/subaccounts') ?? 0;
    console.log(
      `${FLOOD} forged /voice for random SIDs in ${seconds.toFixed(1)} s: ${listings} directory reads, ` +
        `${[...reads.values()].reduce((sum, n) => sum + n, 0)} Sync reads in all`,
    );
    expect(listings).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / KNOWN_TENANTS_REFRESH_MS) + 2);
  });
});

describe('made-up /voice requests for one known tenant, each to a new number', () => {
  it(`${FORGERIES} read nothing of the tenant's, and its genuine calls are answered beside them`, async () => {
    const tenant = await tenantOf();
    expect(dialled(await browserCall(a, tenant))).toBe('Dial>Number');
    const logStart = sandbox.log.length;
    const fetchesBefore = sandbox.countRequests({ method: 'GET', path: `/Accounts/${tenant.sid}.json` });
    const started = Date.now();

    const forged = forgeForTenant(a, tenant.sid, FORGERIES, 16);
    const genuine = await Promise.all(Array.from({ length: 10 }, () => browserCall(a, tenant)));
    const statuses = await forged;
    const seconds = (Date.now() - started) / 1000;

    expect(statuses.filter((status) => status !== 403)).toEqual([]);
    expect(genuine.map(dialled)).toEqual(Array.from({ length: 10 }, () => 'Dial>Number'));
    // The tenant's Map: no number item read for a forgery (the signature comes first), and the
    // `account` item is held (at most a refresh).
    expect(syncReadsSince(sandbox, logStart).get(`Maps/subaccount-${tenant.sid}`) ?? 0).toBeLessThanOrEqual(
      1,
    );
    // Twilio's token is asked for at most once per cooldown, whatever the rate of forgeries.
    const fetches =
      sandbox.countRequests({ method: 'GET', path: `/Accounts/${tenant.sid}.json` }) - fetchesBefore;
    expect(fetches).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / TOKEN_REREAD_COOLDOWN_MS) + 1);
  });
});

describe('an auth token rotated on Twilio (T1 -> T2)', () => {
  it('takes effect at the first request signed with T2; T1 is refused, also on /voice/call-status', async () => {
    const tenant = await tenantOf();
    const t1 = tenant.authToken;
    expect(dialled(await browserCall(a, tenant))).toBe('Dial>Number');
    const t2 = sandbox.rotateAuthToken(tenant.sid);

    // Twilio signs with T2 from now on: the first such request makes A read it and replace the copy.
    expect(dialled(await browserCall(a, tenant, t2))).toBe('Dial>Number');
    expect((await browserCall(a, tenant, t1)).status).toBe(403);
    // B had not read the tenant yet: it reads the replaced copy, T2.
    expect(dialled(await browserCall(b, tenant, t2))).toBe('Dial>Number');
    expect((await browserCall(b, tenant, t1)).status).toBe(403);

    // A call's end, forged with T1, posts no event.
    const completedBefore = events.ofType('call.completed').length;
    const forgedEnd = await postWebhook(
      a,
      '/voice/call-status',
      callParams({
        accountSid: tenant.sid,
        from: 'client:alice',
        to: '+14155550199',
        extra: { CallStatus: 'completed', CallDuration: '3600' },
      }),
      t1,
    );
    expect(forgedEnd.status).toBe(403);
    expect(events.ofType('call.completed').length).toBe(completedBefore);
  });

  it('is reported by check as auth_token_rotated when no webhook showed it, and repair replaces the copy', async () => {
    const tenant = await tenantOf();
    expect(dialled(await browserCall(a, tenant))).toBe('Dial>Number');
    const t2 = sandbox.rotateAuthToken(tenant.sid);
    type Checked = { drift: { code: string; repaired?: boolean }[] };
    const found = await admin(a, '/admin/subaccounts/check', { subaccountSid: tenant.sid });
    expect((found.body as Checked).drift.map((drift) => drift.code)).toContain('auth_token_rotated');
    const repaired = await admin(a, '/admin/subaccounts/check', { subaccountSid: tenant.sid, repair: true });
    expect((repaired.body as Checked).drift).toContainEqual(
      expect.objectContaining({ code: 'auth_token_rotated', repaired: true }),
    );
    // The repair wrote through A: A drops its copy at once and checks with T2, without asking Twilio.
    const fetches = sandbox.countRequests({ method: 'GET', path: `/Accounts/${tenant.sid}.json` });
    expect((await browserCall(a, tenant, tenant.authToken)).status).toBe(403);
    expect(dialled(await browserCall(a, tenant, t2))).toBe('Dial>Number');
    expect(
      sandbox.countRequests({ method: 'GET', path: `/Accounts/${tenant.sid}.json` }),
    ).toBeLessThanOrEqual(fetches + 1);
  });
});

describe('one instance, one read of a tenant', () => {
  it('refuses a token at once on the instance a subaccount was suspended through', async () => {
    const tenant = await tenantOf();
    expect((await postToken(a, tenant)).status).toBe(200);
    expect(dialled(await browserCall(a, tenant))).toBe('Dial>Number');
    expect((await admin(a, '/admin/subaccounts/suspend', { subaccountSid: tenant.sid })).status).toBe(200);
    const refused = await postToken(a, tenant);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('subaccount_suspended');
    expect(verbsOf((await browserCall(a, tenant)).text)).toEqual(['Reject']);
  });

  it("serves /token after the same tenant's /voice with no Twilio request", async () => {
    const tenant = await tenantOf();
    const answer = await browserCall(a, tenant);
    expect(findVerb(twimlOf(answer.text), 'Dial')).toBeDefined();
    const before = sandbox.countRequests();
    const token = await postToken(a, tenant);
    expect(token.status).toBe(200);
    expect(sandbox.countRequests()).toBe(before);
  });
});
