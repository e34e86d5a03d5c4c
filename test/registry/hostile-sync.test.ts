/**
 * Attacks through Sync by someone holding Sync write access but no secret of the service (another app,
 * a leaked main-account API key with Sync rights), each as a write through Sync's REST API, and what the
 * service makes of them (docs/registry-integrity.md): direct writes to an `account` item are refused,
 * a made-up undelivered event is never delivered, parallel redeliveries send each event once, a `check`
 * sweep reports an invalid item and goes on, and every item the service writes is refused once one
 * byte of it changes.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { findVerb } from '../../sandbox';
import { OPERATIONS_MAP } from '../../src/admin/operations/store';
import { handler as redeliver } from '../../src/functions/admin/events/redeliver';
import { handler as check } from '../../src/functions/admin/subaccounts/check';
import { handler as create } from '../../src/functions/admin/subaccounts/create';
import { handler as reactivate } from '../../src/functions/admin/subaccounts/reactivate';
import { handler as suspend } from '../../src/functions/admin/subaccounts/suspend';
import { handler as token } from '../../src/functions/token';
import { handler as voice } from '../../src/functions/voice';
import { loadConfig } from '../../src/config/config';
import { newEvent } from '../../src/events/event';
import { UNDELIVERED_EVENTS_MAP } from '../../src/events/undelivered';
import type { FunctionHandler } from '../../src/http/json-function';
import { ACCOUNT_ITEM, tenantMapName } from '../../src/registry/layout';
import { SEAL_FIELD } from '../../src/registry/item-seal';
import { SyncMapStore } from '../../src/registry/sync-map-store';
import { clearTenantCache } from '../../src/registry/tenant-cache';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { twilioClients } from '../../src/twilio/clients';
import { startEventReceiver, type EventReceiver } from '../helpers/event-receiver';
import { invokeFunction } from '../../testkit/function-runtime';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { useSandbox } from '../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../testkit/service-env';
import { callParams, signedWebhookCall } from '../../testkit/signed-webhook';
import { allItems } from '../helpers/sync-items';
import { twimlOf } from '../../testkit/twiml';

const sandbox = useSandbox();
const secret = randomBytes(24).toString('hex');
let receiver: EventReceiver;
let env: Record<string, string>;
let tenant: ProvisionedTenant;

beforeAll(async () => {
  receiver = await startEventReceiver(secret);
});
afterAll(() => receiver.close());

beforeEach(async () => {
  receiver.received.length = 0;
  receiver.answerWith(200);
  env = sandboxEnv(
    sandbox(),
    serviceEnv({ EVENTS_WEBHOOK_URL: receiver.url, EVENTS_WEBHOOK_SECRET: secret }),
  );
  tenant = await provisionTenant(sandbox(), env, { friendlyName: 'Acme', numbers: 1 });
  clearTenantCache();
});

const admin = (handler: FunctionHandler, body: Record<string, unknown>) =>
  invokeFunction(handler, { env, body, headers: { authorization: `Bearer ${adminKeyOf(env)}` } });

/** Sync as the attacker reaches it: the main account's credentials, no secret of the service. */
const sync = () => twilioClients(loadConfig(env)).main().sync.v1.services('default');

/** Rewrites the tenant's `account` item through Sync, keeping its seal as it was. */
async function writeAccount(change: (data: Record<string, unknown>) => Record<string, unknown>) {
  const item = sync().syncMaps(tenantMapName(tenant.sid)).syncMapItems(ACCOUNT_ITEM);
  const current = (await item.fetch()).data as Record<string, unknown>;
  await item.update({ data: change(current) });
  clearTenantCache();
}

const tokenAnswer = () =>
  invokeFunction(token, {
    env,
    path: '/token',
    headers: {
      authorization: `Bearer ${mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: tenant.sid })}`,
    },
  });

const dialled = async (to: string) =>
  findVerb(
    twimlOf(
      (
        await invokeFunction(
          voice,
          signedWebhookCall({
            env,
            path: '/voice',
            params: callParams({ accountSid: tenant.sid, from: 'client:alice', to }),
            authToken: tenant.authToken,
          }),
        )
      ).text,
    ),
    'Dial',
  );

describe('direct Sync writes to an account item', () => {
  it('opening the toll-fraud policy dials nothing', async () => {
    await writeAccount((data) => ({ ...data, blockedNumberTypes: [], allowedCountries: ['US', 'JM', 'DO'] }));
    expect(await dialled('+19005550123')).toBeUndefined();
    expect(await dialled('+18765550123')).toBeUndefined();
  });

  it('suspended -> active issues no token', async () => {
    expect((await admin(suspend, { subaccountSid: tenant.sid })).statusCode).toBe(200);
    await writeAccount((data) => ({ ...data, status: 'active' }));
    const answer = await tokenAnswer();
    expect(answer.statusCode).toBe(500);
    expect(answer.json<{ error: { code: string } }>().error.code).toBe('registry_item_invalid');
  });

  it("another tenant's twimlAppSid goes into no token", async () => {
    const other = await provisionTenant(sandbox(), env, { friendlyName: 'Globex' });
    await writeAccount((data) => ({ ...data, twimlAppSid: other.twimlAppSid }));
    const answer = await tokenAnswer();
    expect(answer.statusCode).toBe(500);
    expect(answer.text).not.toContain('"token"');
  });
});

describe('a restored older copy of the account item (a valid MAC, an old version)', () => {
  it('is refused by check and by every write, naming it', async () => {
    const item = sync().syncMaps(tenantMapName(tenant.sid)).syncMapItems(ACCOUNT_ITEM);
    const active = (await item.fetch()).data as Record<string, unknown>;
    expect((await admin(suspend, { subaccountSid: tenant.sid })).statusCode).toBe(200);
    await item.update({ data: active });
    clearTenantCache();
    const name = `${tenantMapName(tenant.sid)}/${ACCOUNT_ITEM}`;
    const checked = await admin(check, { subaccountSid: tenant.sid });
    expect(checked.statusCode).toBe(500);
    expect(checked.json<{ error: { code: string; item: string } }>().error).toMatchObject({
      code: 'registry_item_invalid',
      item: name,
    });
    const reactivated = await admin(reactivate, { subaccountSid: tenant.sid });
    expect(reactivated.json<{ error: { code: string; item: string } }>().error).toMatchObject({
      code: 'registry_item_invalid',
      item: name,
    });
    const sweep = await admin(check, { pageSize: 10 });
    expect(sweep.statusCode).toBe(200);
    expect(sweep.json<{ registryItems: { item: string }[] }>().registryItems).toEqual([
      expect.objectContaining({ item: name }),
    ]);
  });

  it("is refused by a cold instance's first /voice and /token, which read the tenant's own directory summary", async () => {
    expect(await dialled('+14155550123')).toBeDefined();
    const item = sync().syncMaps(tenantMapName(tenant.sid)).syncMapItems(ACCOUNT_ITEM);
    const active = (await item.fetch()).data as Record<string, unknown>;
    expect((await admin(suspend, { subaccountSid: tenant.sid })).statusCode).toBe(200);
    await item.update({ data: active });
    clearTenantCache();
    // A cold /voice dials nothing with it either (its signature checks out, so it gets an apology).
    expect(await dialled('+14155550123')).toBeUndefined();
    clearTenantCache();
    const answer = await tokenAnswer();
    expect(answer.statusCode).toBe(500);
    expect(answer.json<{ error: { code: string } }>().error.code).toBe('registry_item_invalid');
    expect(answer.text).not.toContain('"token"');
  });
});

describe('undelivered events', () => {
  type Redelivered = {
    delivered: { id: string }[];
    pending: { id: string }[];
    refused?: { key: string; message: string }[];
  };

  it('a made-up item is not delivered, and is reported, not a 500', async () => {
    const forged = newEvent('subaccount.closed', tenant.sid, { reason: 'forged' }, new Date());
    const map = sync().syncMaps(UNDELIVERED_EVENTS_MAP);
    await sync()
      .syncMaps.create({ uniqueName: UNDELIVERED_EVENTS_MAP })
      .catch(() => undefined);
    const body = JSON.stringify(forged);
    const common = { attempts: 1, lastError: 'x', lastAttemptAt: new Date().toISOString() };
    await map.syncMapItems.create({ key: forged.id, data: { body, ...common } });
    // One with a seal copied from nowhere, and one without a body at all.
    const second = newEvent('subaccount.created', tenant.sid, {}, new Date());
    await map.syncMapItems.create({
      key: second.id,
      data: { body: JSON.stringify(second), ...common, [SEAL_FIELD]: { kid: 'AAAAAAAA', v: 1, mac: 'AAAA' } },
    });
    const third = newEvent('subaccount.created', tenant.sid, {}, new Date());
    await map.syncMapItems.create({ key: third.id, data: { ...common } });

    const answer = await admin(redeliver, {});
    expect(answer.statusCode).toBe(200);
    const result = answer.json<Redelivered>();
    expect(result.delivered).toEqual([]);
    expect(result.refused?.map((refused) => refused.key).sort()).toEqual(
      [forged.id, second.id, third.id].sort(),
    );
    const one = await admin(redeliver, { eventId: third.id });
    expect(one.statusCode).toBe(200);
    expect(one.json<Redelivered>().refused).toHaveLength(1);
    expect(receiver.received).toEqual([]);
  });

  it('20 redeliveries at once for 2 kept events make 2 deliveries', async () => {
    receiver.answerWith(500);
    expect((await admin(suspend, { subaccountSid: tenant.sid })).statusCode).toBe(200);
    expect((await admin(reactivate, { subaccountSid: tenant.sid })).statusCode).toBe(200);
    expect(receiver.received).toHaveLength(2);
    receiver.received.length = 0;
    receiver.answerWith(200);
    const answers = await Promise.all(Array.from({ length: 20 }, () => admin(redeliver, {})));
    expect(answers.map((answer) => (answer.statusCode === 200 ? 200 : answer.text))).toEqual(
      answers.map(() => 200),
    );
    expect(receiver.received.map((got) => got.event.type).sort()).toEqual([
      'subaccount.reactivated',
      'subaccount.suspended',
    ]);
    expect(receiver.received.every((got) => got.verified)).toBe(true);
    const delivered = answers.flatMap((answer) => answer.json<Redelivered>().delivered);
    expect(delivered).toHaveLength(2);
  });
});

it('a check sweep with one invalid item reports it and checks the others', async () => {
  const others = [
    await provisionTenant(sandbox(), env, { friendlyName: 'Globex' }),
    await provisionTenant(sandbox(), env, { friendlyName: 'Initech' }),
  ];
  await writeAccount((data) => ({ ...data, recording: true }));
  const answer = await admin(check, { pageSize: 10 });
  expect(answer.statusCode).toBe(200);
  const body = answer.json<{
    subaccounts: { subaccountSid: string }[];
    registryItems: { code: string; item: string }[];
    inStep: boolean;
  }>();
  expect(body.registryItems).toEqual([
    expect.objectContaining({
      code: 'registry_item_invalid',
      item: `${tenantMapName(tenant.sid)}/${ACCOUNT_ITEM}`,
    }),
  ]);
  expect(body.subaccounts.map((checked) => checked.subaccountSid).sort()).toEqual(
    others.map((other) => other.sid).sort(),
  );
  expect(body.inStep).toBe(false);
});

it('every item the service writes verifies, and a one-byte change to any of them is refused', async () => {
  // Items of every kind: directory summary, account, number, operation record, kept event.
  const created = await admin(create, {
    friendlyName: 'Made here',
    idempotencyKey: randomBytes(8).toString('hex'),
  });
  expect(created.statusCode).toBe(201);
  receiver.answerWith(500);
  expect((await admin(suspend, { subaccountSid: tenant.sid })).statusCode).toBe(200);
  const config = loadConfig(env);
  const items = allItems(sandbox());
  const maps = new Set(items.map(({ map }) => (map.startsWith('subaccount-') ? 'subaccount-*' : map)));
  expect([...maps].sort()).toEqual(
    [OPERATIONS_MAP, 'subaccount-*', 'subaccounts', UNDELIVERED_EVENTS_MAP].sort(),
  );
  const storeOf = (map: string) =>
    new SyncMapStore<object>(twilioClients(config).main, 'default', map, config.registryKeys);
  for (const { map, item } of items) {
    await expect(storeOf(map).get(item.key)).resolves.toBeDefined();
  }
  await fc.assert(
    fc.asyncProperty(fc.nat(items.length - 1), fc.nat(), async (which, where) => {
      const { map, item } = items[which] as (typeof items)[number];
      const original = item.data;
      const text = JSON.stringify(original);
      // A letter or digit inside the JSON, changed to another of its kind: still JSON, one byte off.
      const positions = [...text].flatMap((char, index) => (/[A-Za-z0-9]/.test(char) ? [index] : []));
      const at = positions[where % positions.length] as number;
      const char = text[at] as string;
      const swapped = /\d/.test(char) ? String((Number(char) + 1) % 10) : char === 'a' ? 'b' : 'a';
      let changed: Record<string, unknown>;
      try {
        changed = JSON.parse(text.slice(0, at) + swapped + text.slice(at + 1)) as Record<string, unknown>;
      } catch {
        return; // a change that is no longer JSON is refused by Sync itself
      }
      item.data = changed;
      try {
        await expect(storeOf(map).get(item.key)).rejects.toMatchObject({ code: 'registry_item_invalid' });
      } finally {
        item.data = original;
      }
    }),
    { numRuns: 60 },
  );
});
