/**
 * Events of the subaccount lifecycle, in-process against the sandbox, received by a test back-end that
 * checks each signature with the verifier docs/events.md documents; and what happens when that
 * back-end fails: the event is kept in Sync and /admin/events/redeliver sends it again.
 */
import { randomBytes } from 'node:crypto';
import { handler as redeliver } from '../../src/functions/admin/events/redeliver';
import { handler as adopt } from '../../src/functions/admin/subaccounts/adopt';
import { handler as close } from '../../src/functions/admin/subaccounts/close';
import { handler as create } from '../../src/functions/admin/subaccounts/create';
import { handler as reactivate } from '../../src/functions/admin/subaccounts/reactivate';
import { handler as suspend } from '../../src/functions/admin/subaccounts/suspend';
import { EVENT_ID } from '../../src/events/event';
import { signatureHeader } from '../../src/events/signature';
import { UNDELIVERED_EVENTS_MAP } from '../../src/events/undelivered';
import type { FunctionHandler } from '../../src/http/json-function';
import { documentedVerifier, startEventReceiver, type EventReceiver } from '../helpers/event-receiver';
import { invokeFunction } from '../../testkit/function-runtime';
import { sandboxClient, useSandbox } from '../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../testkit/service-env';

const sandbox = useSandbox();
const secret = randomBytes(24).toString('hex');
let receiver: EventReceiver;
let env: Record<string, string>;

beforeAll(async () => {
  receiver = await startEventReceiver(secret);
});
afterAll(() => receiver.close());

beforeEach(() => {
  receiver.received.length = 0;
  receiver.answerWith(200);
  const main = sandbox().seed({ phoneNumbers: 1 });
  env = serviceEnv({
    ACCOUNT_SID: main.accountSid,
    AUTH_TOKEN: main.authToken,
    TWILIO_API_BASE_URL: sandbox().baseUrl,
    EVENTS_WEBHOOK_URL: receiver.url,
    EVENTS_WEBHOOK_SECRET: secret,
  });
});

const admin = (handler: FunctionHandler, body: Record<string, unknown>) =>
  invokeFunction(handler, { env, body, headers: { authorization: `Bearer ${adminKeyOf(env)}` } });

async function createSubaccount(): Promise<string> {
  const created = await admin(create, {
    friendlyName: 'Acme Dental',
    idempotencyKey: randomBytes(8).toString('hex'),
  });
  expect(created.statusCode).toBe(201);
  return created.json<{ subaccount: { sid: string } }>().subaccount.sid;
}

const keptItems = () => {
  const map = sandbox().state.syncMaps.find((m) => m.uniqueName === UNDELIVERED_EVENTS_MAP);
  return sandbox().state.syncMapItems.filter((item) => item.mapSid === map?.sid);
};

describe('subaccount events', () => {
  it('tell the back-end of each lifecycle change, signed, once per change', async () => {
    const sid = await createSubaccount();
    await admin(suspend, { subaccountSid: sid });
    await admin(suspend, { subaccountSid: sid }); // already suspended: no second event
    await admin(reactivate, { subaccountSid: sid });
    expect((await admin(close, { subaccountSid: sid, confirm: sid })).statusCode).toBe(200);

    expect(receiver.received.map((got) => got.event.type)).toEqual([
      'subaccount.created',
      'subaccount.suspended',
      'subaccount.reactivated',
      'subaccount.closed',
    ]);
    for (const { event, verified } of receiver.received) {
      expect(verified).toBe(true);
      expect(event.id).toMatch(EVENT_ID);
      expect(event.subaccountSid).toBe(sid);
      expect(Date.parse(event.created)).not.toBeNaN();
    }
    expect(new Set(receiver.received.map((got) => got.event.id)).size).toBe(4);
    expect(receiver.ofType('subaccount.created')[0]?.event.data).toMatchObject({
      friendlyName: 'Acme Dental',
      status: 'active',
    });
    expect(receiver.ofType('subaccount.suspended')[0]?.event.data).toMatchObject({ status: 'suspended' });
    expect(receiver.ofType('subaccount.closed')[0]?.event.data).toEqual({
      numbersKept: 0,
      numbersReleased: 0,
    });
    expect(keptItems()).toEqual([]);
  });

  it('subaccount.adopted when adopt brings in a subaccount made by hand, and none on a repeat', async () => {
    const main = sandboxClient(sandbox(), env.ACCOUNT_SID ?? '', env.AUTH_TOKEN ?? '');
    const handMade = await main.api.v2010.accounts.create({ friendlyName: 'Made in the Console' });
    expect((await admin(adopt, { subaccountSid: handMade.sid })).statusCode).toBe(200);
    expect((await admin(adopt, { subaccountSid: handMade.sid })).statusCode).toBe(200);
    const adopted = receiver.ofType('subaccount.adopted');
    expect(adopted).toHaveLength(1);
    expect(adopted[0]?.verified).toBe(true);
    expect(adopted[0]?.event).toMatchObject({
      subaccountSid: handMade.sid,
      data: { friendlyName: 'Made in the Console', status: 'active', numberCount: 0 },
    });
  });

  it('a failing back-end does not fail the operation; the event is kept, then redelivered once', async () => {
    const sid = await createSubaccount();
    receiver.answerWith(500);
    const suspended = await admin(suspend, { subaccountSid: sid });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json()).toMatchObject({ subaccount: { status: 'suspended' } });
    const [failed] = receiver.ofType('subaccount.suspended');
    expect(failed?.verified).toBe(true);
    const kept = keptItems();
    expect(kept.map((item) => item.key)).toEqual([failed?.event.id]);
    // Sync deletes it a week later if nobody redelivers it.
    const expires = Date.parse(kept[0]?.dateExpires ?? '');
    expect(expires - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);

    const stillDown = await admin(redeliver, {});
    expect(stillDown.json()).toMatchObject({
      delivered: [],
      pending: [{ id: failed?.event.id, attempts: 2, lastError: 'the receiver answered HTTP 500' }],
    });

    receiver.answerWith(200);
    const redelivered = await admin(redeliver, {});
    expect(redelivered.statusCode).toBe(200);
    expect(redelivered.json()).toEqual({
      delivered: [
        {
          id: failed?.event.id,
          type: 'subaccount.suspended',
          subaccountSid: sid,
          created: failed?.event.created,
        },
      ],
      pending: [],
    });
    const again = receiver.ofType('subaccount.suspended');
    expect(again).toHaveLength(3);
    expect(again[2]).toEqual({ event: failed?.event, verified: true });
    expect(keptItems()).toEqual([]);
    expect((await admin(redeliver, {})).json()).toEqual({ delivered: [], pending: [] });
  });

  it('a back-end that does not answer costs the operation at most the 2 s timeout; one event redelivers by id', async () => {
    const sid = await createSubaccount();
    await admin(suspend, { subaccountSid: sid });
    receiver.answerWith('hang');
    // The receiver never answers: only the delivery's own timeout (DELIVERY_TIMEOUT_MS) lets the
    // operation finish (its length is not timed here, a busy machine would break a bound on time).
    const reactivated = await admin(reactivate, { subaccountSid: sid });
    expect(reactivated.json()).toMatchObject({ subaccount: { status: 'active' } });
    const [hung] = receiver.ofType('subaccount.reactivated');

    receiver.answerWith(200);
    const one = await admin(redeliver, { eventId: hung?.event.id });
    expect(one.json()).toMatchObject({ delivered: [{ id: hung?.event.id }], pending: [] });
    const gone = await admin(redeliver, { eventId: hung?.event.id });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('redelivers a page at a time, oldest first, with a cursor', async () => {
    const sid = await createSubaccount();
    receiver.answerWith(503);
    for (let i = 0; i < 3; i++) {
      await admin(suspend, { subaccountSid: sid });
      await admin(reactivate, { subaccountSid: sid });
    }
    const keys = keptItems().map((item) => item.key);
    expect(keys).toHaveLength(6);
    receiver.answerWith(200);
    const first = await admin(redeliver, { pageSize: 4 });
    const body = first.json<{ delivered: { id: string }[]; nextCursor?: string }>();
    expect(body.delivered.map((event) => event.id)).toEqual([...keys].sort().slice(0, 4));
    expect(body.nextCursor).toBeDefined();
    const second = await admin(redeliver, { pageSize: 4, cursor: body.nextCursor });
    expect(second.json<{ delivered: { id: string }[] }>().delivered).toHaveLength(2);
    expect(second.json()).not.toHaveProperty('nextCursor');
    expect(keptItems()).toEqual([]);
  });

  it('redeliver is refused with a reason when no events are configured', async () => {
    delete env.EVENTS_WEBHOOK_URL;
    delete env.EVENTS_WEBHOOK_SECRET;
    const answer = await admin(redeliver, {});
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({ error: { code: 'events_not_configured' } });
    expect((await admin(redeliver, { eventId: 'evt_nope' })).statusCode).toBe(400);
  });
});

describe('the documented verifier', () => {
  const verify = documentedVerifier();
  const body = JSON.stringify({ id: 'evt_x', type: 'subaccount.created' });

  it('accepts a fresh signature and refuses one older than 5 minutes: a replay', () => {
    expect(verify(body, signatureHeader(secret, body, new Date()), secret)).toBe(true);
    expect(verify(body, signatureHeader(secret, body, new Date(Date.now() - 4 * 60_000)), secret)).toBe(true);
    expect(verify(body, signatureHeader(secret, body, new Date(Date.now() - 6 * 60_000)), secret)).toBe(
      false,
    );
    expect(verify(body, signatureHeader(secret, body, new Date(Date.now() + 6 * 60_000)), secret)).toBe(
      false,
    );
  });

  it('refuses a changed body, another secret, a changed timestamp and malformed headers', () => {
    const header = signatureHeader(secret, body, new Date());
    expect(verify(`${body} `, header, secret)).toBe(false);
    expect(verify(body, header, `${secret}x`)).toBe(false);
    const t = Number(/t=(\d+)/.exec(header)?.[1]);
    expect(verify(body, header.replace(`t=${t}`, `t=${t - 1}`), secret)).toBe(false);
    for (const bad of [undefined, '', 'v1=abc', `t=${t}`, `t=${t},v1=00`, 't=abc,v1=' + 'a'.repeat(64)]) {
      expect(verify(body, bad, secret)).toBe(false);
    }
  });
});
