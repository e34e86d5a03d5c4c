/**
 * Registry items are trusted only once they verify and validate: an item changed outside the service
 * fails its MAC; one an operator re-signed that does not parse, whose key and SID disagree, or whose
 * status the service does not know is refused on every path too (no token, no call, no Twilio change,
 * an admin answer naming the item), and a secret moved from another subaccount's item does not
 * decrypt. Items written before items were signed are refused until `check` signs them with
 * `migrateUnsigned`, then served; a number item under the raw number is moved by `check` with repair.
 */
import { findVerb, type SandboxState } from '../../sandbox';
import { handler as check } from '../../src/functions/admin/subaccounts/check';
import { handler as get } from '../../src/functions/admin/subaccounts/get';
import { handler as list } from '../../src/functions/admin/subaccounts/list';
import { handler as suspend } from '../../src/functions/admin/subaccounts/suspend';
import { handler as update } from '../../src/functions/admin/subaccounts/update';
import { handler as token } from '../../src/functions/token';
import { handler as voice } from '../../src/functions/voice';
import { clearProcessWide } from '../../src/cache/process-wide';
import { loadConfig } from '../../src/config/config';
import {
  ACCOUNT_ITEM,
  DIRECTORY_MAP,
  OPERATION_ITEM,
  numberItemKey,
  tenantMapName,
} from '../../src/registry/layout';
import { SEAL_FIELD } from '../../src/registry/item-seal';
import { subaccountRegistry } from '../../src/registry/registry';
import { clearTenantCache } from '../../src/registry/tenant-cache';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { APOLOGY } from '../../src/voice/twiml';
import { invokeFunction } from '../../testkit/function-runtime';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { useSandbox } from '../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../testkit/service-env';
import { callParams, signedWebhookCall } from '../../testkit/signed-webhook';
import { allItems, itemOf, resealed } from '../helpers/sync-items';
import { clientIdentities, twimlOf } from '../../testkit/twiml';

const sandbox = useSandbox({ emptyBeforeEach: false });
let env: Record<string, string>;
let tenant: ProvisionedTenant;
let other: ProvisionedTenant;
/** The sandbox holding the two tenants, made once: each test tampers with a copy of it. */
let prepared: SandboxState;

beforeAll(async () => {
  env = sandboxEnv(sandbox(), serviceEnv());
  tenant = await provisionTenant(sandbox(), env, { friendlyName: 'Acme', numbers: 2 });
  other = await provisionTenant(sandbox(), env, { friendlyName: 'Globex' });
  await subaccountRegistry(loadConfig(env)).update(tenant.sid, (record) => ({
    ...record,
    inboundRouting: { [tenant.numbers[0] as string]: ['alice'] },
  }));
  prepared = structuredClone(sandbox().state);
});

beforeEach(() => {
  // The two tenants as they were made, and every process-wide cache empty: each test meets them as a
  // new instance would, whatever the test before it changed or cached.
  sandbox().reset();
  sandbox().state = structuredClone(prepared);
  clearProcessWide();
});

const accountItemOf = (who: ProvisionedTenant) => itemOf(sandbox(), tenantMapName(who.sid), ACCOUNT_ITEM);
/** Signs the tenant's `account` item as it now is, as an operator does after fixing it. */
const resealAccount = () => resealed(sandbox(), env, tenantMapName(tenant.sid), ACCOUNT_ITEM);

const admin = (handler: typeof get, body: Record<string, unknown>) =>
  invokeFunction(handler, { env, body, headers: { authorization: `Bearer ${adminKeyOf(env)}` } });

const tokenFor = (who: ProvisionedTenant) =>
  invokeFunction(token, {
    env,
    path: '/token',
    headers: {
      authorization: `Bearer ${mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: who.sid })}`,
    },
  });

const voiceCall = (who: ProvisionedTenant, from: string, to: string) =>
  invokeFunction(
    voice,
    signedWebhookCall({
      env,
      path: '/voice',
      params: callParams({ accountSid: who.sid, from, to }),
      authToken: who.authToken,
    }),
  );

type ErrorBody = { error: { code: string; item?: string; message: string } };

/** Every path refuses the tenant: no token, no call, no Twilio change, an admin answer naming `item`. */
async function expectRefusedEverywhere(item: string) {
  clearTenantCache();
  // The calls first: on a cold instance the first one waits for the directory listing it starts, and
  // the requests after it find the tenant listed. A /token first would be refused before its listing
  // ended, and the call after it would wait for the next listing (known-tenants.ts).
  for (const [from, to] of [
    ['client:alice', '+14155550199'],
    ['+14155550100', tenant.numbers[0] as string],
  ] as const) {
    const twiml = twimlOf((await voiceCall(tenant, from, to)).text);
    expect(findVerb(twiml, 'Dial')).toBeUndefined();
    expect(findVerb(twiml, 'Say')?.text).toBe(APOLOGY);
  }

  const tokenAnswer = await tokenFor(tenant);
  expect(tokenAnswer.statusCode).toBe(500);
  expect(tokenAnswer.json<ErrorBody>().error).toMatchObject({ code: 'registry_item_invalid' });
  expect(tokenAnswer.text).not.toContain('"token"');

  const writesBefore = sandbox()
    .requests()
    .filter((r) => r.method !== 'GET').length;
  for (const [handler, body] of [
    [get, { subaccountSid: tenant.sid }],
    [suspend, { subaccountSid: tenant.sid }],
    [update, { subaccountSid: tenant.sid, recording: true }],
  ] as const) {
    const answer = await admin(handler, body);
    expect(answer.statusCode).toBe(500);
    expect(answer.json<ErrorBody>().error).toMatchObject({ code: 'registry_item_invalid', item });
    expect(answer.json<ErrorBody>().error.message).toContain(item);
  }
  expect(
    sandbox()
      .requests()
      .filter((r) => r.method !== 'GET'),
  ).toHaveLength(writesBefore);
  expect(sandbox().state.accounts.find((a) => a.sid === tenant.sid)?.status).toBe('active');
}

describe('a tampered registry item', () => {
  const accountItem = () => `${tenantMapName(tenant.sid)}/${ACCOUNT_ITEM}`;

  it('changed outside the service (no MAC for its content) is refused on every path', async () => {
    accountItemOf(tenant).data.status = 'active';
    accountItemOf(tenant).data.recording = true;
    await expectRefusedEverywhere(accountItem());
  });

  it('with a status the service does not know is refused on every path, even re-signed', async () => {
    accountItemOf(tenant).data.status = 'vip';
    resealAccount();
    await expectRefusedEverywhere(accountItem());
  });

  it('with no status is refused on every path, even re-signed', async () => {
    delete accountItemOf(tenant).data.status;
    resealAccount();
    await expectRefusedEverywhere(accountItem());
  });

  it('with a field missing is refused on every path, even re-signed', async () => {
    delete accountItemOf(tenant).data.recording;
    resealAccount();
    await expectRefusedEverywhere(accountItem());
  });

  it("holding another subaccount's item (copied over, MAC and all) is refused on every path", async () => {
    accountItemOf(tenant).data = structuredClone(accountItemOf(other).data);
    await expectRefusedEverywhere(accountItem());
  });

  it("holding another subaccount's SID, re-signed, is refused on every path", async () => {
    accountItemOf(tenant).data = structuredClone(accountItemOf(other).data);
    resealAccount();
    await expectRefusedEverywhere(accountItem());
  });

  it('routing a number to a name that is not an identity is refused for calls to it', async () => {
    const number = tenant.numbers[0] as string;
    itemOf(sandbox(), tenantMapName(tenant.sid), numberItemKey(number)).data.identities = [
      'alice',
      '<Dial>bad</Dial>',
    ];
    resealed(sandbox(), env, tenantMapName(tenant.sid), numberItemKey(number));
    const twiml = twimlOf((await voiceCall(tenant, '+14155550100', number)).text);
    expect(findVerb(twiml, 'Dial')).toBeUndefined();
    expect(findVerb(twiml, 'Say')?.text).toBe(APOLOGY);
    const answer = await admin(get, { subaccountSid: tenant.sid });
    expect(answer.json<ErrorBody>().error).toMatchObject({
      code: 'registry_item_invalid',
      item: `${tenantMapName(tenant.sid)}/${numberItemKey(number)}`,
    });
  });

  it("with another subaccount's key secret signs no token with that key", async () => {
    accountItemOf(tenant).data.apiKey = structuredClone(accountItemOf(other).data.apiKey);
    resealAccount();
    const answer = await tokenFor(tenant);
    expect(answer.statusCode).toBe(500);
    expect(answer.json<ErrorBody>().error.code).toBe('registry_secret_unreadable');
  });

  it('in the directory with a key that is not its SID is refused by list, naming it', async () => {
    const summary = itemOf(sandbox(), DIRECTORY_MAP, other.sid);
    summary.data = { ...summary.data, sid: tenant.sid };
    resealed(sandbox(), env, DIRECTORY_MAP, other.sid);
    const answer = await admin(list, {});
    expect(answer.statusCode).toBe(500);
    expect(answer.json<ErrorBody>().error).toMatchObject({
      code: 'registry_item_invalid',
      item: `${DIRECTORY_MAP}/${other.sid}`,
    });
  });
});

describe('items written before items were signed', () => {
  /** Strips the seal of the tenant's registry items, as a release before signed items wrote them. */
  function unsigned(who: ProvisionedTenant) {
    for (const { map, item } of allItems(sandbox())) {
      const ours =
        map === tenantMapName(who.sid)
          ? item.key !== OPERATION_ITEM
          : map === DIRECTORY_MAP && item.key === who.sid;
      if (!ours) continue;
      const { [SEAL_FIELD]: _seal, ...data } = item.data;
      item.data = data;
    }
  }

  it('are refused on the hot paths until check signs them (migrateUnsigned), then served as before', async () => {
    unsigned(tenant);
    clearTenantCache();
    // The call first, as in expectRefusedEverywhere: no request waits for a second listing.
    const refused = await voiceCall(tenant, '+14155550100', tenant.numbers[0] as string);
    expect(refused.text).not.toContain('<Dial');
    expect((await tokenFor(tenant)).statusCode).not.toBe(200);

    const signed = await admin(check, { subaccountSid: tenant.sid, migrateUnsigned: true });
    expect(signed.statusCode).toBe(200);
    const items = signed.json<{ registryItems: { item: string; repaired?: boolean }[] }>().registryItems;
    expect(items).toContainEqual(
      expect.objectContaining({ item: `${tenantMapName(tenant.sid)}/${ACCOUNT_ITEM}`, repaired: true }),
    );
    expect(items.every((item) => item.repaired)).toBe(true);

    clearTenantCache();
    expect((await tokenFor(tenant)).statusCode).toBe(200);
    const inbound = twimlOf((await voiceCall(tenant, '+14155550100', tenant.numbers[0] as string)).text);
    expect(clientIdentities(findVerb(inbound, 'Dial'))).toEqual(['alice']);
  });
});

describe('a number item keyed by the raw E.164 number', () => {
  it('is read as it is, reported by check, and moved to its current key by check with repair', async () => {
    const number = tenant.numbers[0] as string;
    const map = tenantMapName(tenant.sid);
    itemOf(sandbox(), map, numberItemKey(number)).key = number;
    resealed(sandbox(), env, map, number);
    clearTenantCache();
    const inbound = twimlOf((await voiceCall(tenant, '+14155550100', number)).text);
    expect(clientIdentities(findVerb(inbound, 'Dial'))).toEqual(['alice']);

    type Checked = { drift: { code: string; repaired?: boolean }[] };
    const found = await admin(check, { subaccountSid: tenant.sid });
    expect(found.json<Checked>().drift.map((drift) => drift.code)).toContain('registry_previous_layout');
    const repaired = await admin(check, { subaccountSid: tenant.sid, repair: true });
    expect(repaired.json<Checked>().drift).toContainEqual({
      code: 'registry_previous_layout',
      message: expect.any(String),
      repaired: true,
    });
    expect(itemOf(sandbox(), map, numberItemKey(number)).data).toMatchObject({ identities: ['alice'] });
    expect(() => itemOf(sandbox(), map, number)).toThrow();
    expect((await admin(check, { subaccountSid: tenant.sid })).json<Checked>().drift).toEqual([]);
  });
});

describe('an item holding the dialling prefixes of releases before the country guard', () => {
  type Guarded = { subaccount: { allowedCountries: string[]; blockedNumberTypes: string[] } };
  const said = async (to: string) =>
    findVerb(twimlOf((await voiceCall(tenant, 'client:alice', to)).text), 'Say')?.text;
  const dials = async (to: string) =>
    findVerb(twimlOf((await voiceCall(tenant, 'client:alice', to)).text), 'Number')?.text;

  it('is read as countries: +1 is the US alone, so the Caribbean and +1900 are refused', async () => {
    accountItemOf(tenant).data.allowedPrefixes = ['+1'];
    resealAccount();
    clearTenantCache();
    const got = await admin(get, { subaccountSid: tenant.sid });
    expect(got.json<Guarded>().subaccount).toMatchObject({
      allowedCountries: ['US'],
      blockedNumberTypes: ['premium_rate', 'shared_cost', 'uan', 'personal_number', 'pager', 'unknown'],
    });
    expect(await dials('+14155550199')).toBe('+14155550199');
    expect(await said('+18765550123')).toBe(
      'Sorry. Calls to Jamaica numbers are not allowed from this account.',
    );
    expect(await said('+19005550123')).toMatch(/premium-rate/);
    expect(await said('+442071838750')).toMatch(/United Kingdom/);
  });

  it('keeps a country a longer prefix named, and stores the countries at its next write', async () => {
    accountItemOf(tenant).data.allowedPrefixes = ['+1', '+1876', '+44'];
    resealAccount();
    clearTenantCache();
    expect(await dials('+18765550123')).toBe('+18765550123');
    expect(await dials('+442071838750')).toBe('+442071838750');
    expect(await said('+18095550123')).toMatch(/Dominican Republic/);

    expect((await admin(update, { subaccountSid: tenant.sid, recording: true })).statusCode).toBe(200);
    expect(accountItemOf(tenant).data).toMatchObject({ allowedCountries: ['US', 'JM', 'GB'] });
    expect(accountItemOf(tenant).data).not.toHaveProperty('allowedPrefixes');
  });

  it('gives way to countries set since', async () => {
    const answer = await admin(update, { subaccountSid: tenant.sid, allowedCountries: 'us, ca' });
    expect(answer.json<Guarded>().subaccount.allowedCountries).toEqual(['US', 'CA']);
    accountItemOf(tenant).data.allowedPrefixes = ['+44'];
    resealAccount();
    clearTenantCache();
    expect(await said('+442071838750')).toMatch(/United Kingdom/);
    expect(await dials('+14165550123')).toBe('+14165550123');
  });
});
