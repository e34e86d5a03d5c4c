import { handler as rotateKey } from '../../../src/functions/admin/subaccounts/rotate-key';
import { startAdminFixture, type AdminFixture } from '../../helpers/admin-fixture';
import { invokeFunction } from '../../../testkit/function-runtime';
import { adminKeyOf } from '../../../testkit/service-env';

interface Rotation {
  idempotencyKey: string;
  newKeySid: string;
  retiringKeySid: string | null;
  retireAfter: string;
  replayed: boolean;
  subaccount: { apiKeySid: string; retiringApiKeys: { sid: string }[] };
}

let fixture: AdminFixture;

beforeEach(async () => {
  fixture = await startAdminFixture();
});

afterEach(async () => {
  await fixture.sandbox.close();
});

async function rotate(body: Record<string, unknown> = {}) {
  const answer = await invokeFunction(rotateKey, {
    env: fixture.env,
    body: { subaccountSid: fixture.subaccountSid, ...body },
    headers: { authorization: `Bearer ${adminKeyOf(fixture.env)}` },
  });
  return { status: answer.statusCode, body: answer.json<Rotation & { error?: Record<string, string> }>() };
}

/** The subaccount's API keys on Twilio. */
const keysOnTwilio = () =>
  fixture.sandbox.state.keys
    .filter((key) => key.accountSid === fixture.subaccountSid)
    .map((key) => key.sid)
    .sort();

describe('rotate-key with an idempotency key', () => {
  it('rotates once however often the same call is retried, answering the same rotation', async () => {
    const [original] = keysOnTwilio();
    const first = await rotate({ idempotencyKey: 'rotation-2026-11' });
    const retried = await rotate({ idempotencyKey: 'rotation-2026-11' });

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ replayed: false, retiringKeySid: original });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      replayed: true,
      newKeySid: first.body.newKeySid,
      retiringKeySid: original,
      retireAfter: first.body.retireAfter,
    });
    expect(keysOnTwilio()).toEqual([original, first.body.newKeySid].sort());
    expect(retried.body.subaccount.apiKeySid).toBe(first.body.newKeySid);
  });

  it('answers a generated key when none was sent, and that key replays the rotation', async () => {
    const first = await rotate();
    expect(first.body.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    const retried = await rotate({ idempotencyKey: first.body.idempotencyKey });
    expect(retried.body).toMatchObject({ replayed: true, newKeySid: first.body.newKeySid });
    expect(keysOnTwilio()).toHaveLength(2);
  });

  it('rotates again for another key, the replaced keys both retiring', async () => {
    const [original] = keysOnTwilio();
    const first = await rotate({ idempotencyKey: 'rotation-a-1' });
    const second = await rotate({ idempotencyKey: 'rotation-b-1' });
    expect(second.body).toMatchObject({ replayed: false, retiringKeySid: first.body.newKeySid });
    expect(second.body.subaccount.retiringApiKeys.map((key) => key.sid)).toEqual([
      original,
      first.body.newKeySid,
    ]);
    expect(keysOnTwilio()).toHaveLength(3);
  });

  it('makes one rotation of two simultaneous calls with the same key: the other is told to retry', async () => {
    const [a, b] = await Promise.all([
      rotate({ idempotencyKey: 'double-click' }),
      rotate({ idempotencyKey: 'double-click' }),
    ]);
    const [won, lost] = a.status === 200 ? [a, b] : [b, a];
    expect([won.status, lost.status]).toEqual([200, 409]);
    expect(lost.body.error).toMatchObject({
      code: 'subaccount_busy',
      subaccountSid: fixture.subaccountSid,
      operation: 'rotate-key',
    });
    const retried = await rotate({ idempotencyKey: 'double-click' });
    expect(retried.body).toMatchObject({ replayed: true, newKeySid: won.body.newKeySid });
    expect(keysOnTwilio()).toHaveLength(2);
  });

  it('removes the new key when the registry refuses it, and names the key to retry with', async () => {
    const before = keysOnTwilio();
    fixture.sandbox.failRequest(1, '500', { match: { method: 'POST', path: /\/Items\/account$/ } });
    const failed = await rotate({ idempotencyKey: 'flaky-registry' });
    expect(failed.status).toBe(502);
    expect(failed.body.error).toMatchObject({ idempotencyKey: 'flaky-registry' });
    expect(failed.body.error?.message).toContain('retry with the same idempotencyKey');
    expect(keysOnTwilio()).toEqual(before);

    const retried = await rotate({ idempotencyKey: 'flaky-registry' });
    expect(retried.body).toMatchObject({ replayed: false, retiringKeySid: before[0] });
    expect(keysOnTwilio()).toHaveLength(2);
  });
});
