import { handler as rotateKey } from '../../../src/functions/admin/subaccounts/rotate-key';
import { startAdminFixture, type AdminFixture } from '../../helpers/admin-fixture';
import { invokeFunction } from '../../helpers/function-runtime';
import { adminKeyOf } from '../../helpers/service-env';

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

  it('makes one rotation of two simultaneous calls with the same key, deleting the loser key', async () => {
    const [a, b] = await Promise.all([
      rotate({ idempotencyKey: 'double-click' }),
      rotate({ idempotencyKey: 'double-click' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.newKeySid).toBe(b.body.newKeySid);
    expect([a.body.replayed, b.body.replayed].sort()).toEqual([false, true]);
    expect(keysOnTwilio()).toHaveLength(2);
  });

  it('removes the new key when the registry refuses it, and names the key to retry with', async () => {
    const before = keysOnTwilio();
    fixture.sandbox.failRequest(1, '500', { match: { method: 'POST', path: /\/Maps\/[^/]+\/Items\/AC/ } });
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

describe('rotate-key and the 16 KiB of a Sync item', () => {
  it('refuses a rotation the registry item could not hold, before making a key', async () => {
    // Dozens of rotations in a burst is the set-up here, not what is under test.
    fixture.sandbox.setLimits({ syncRateLimits: false });
    let refused: Awaited<ReturnType<typeof rotate>> | undefined;
    let rotations = 0;
    let keysBefore = keysOnTwilio();
    while (!refused && rotations < 200) {
      keysBefore = keysOnTwilio();
      const answer = await rotate();
      if (answer.status === 200) rotations += 1;
      else refused = answer;
    }
    expect(rotations).toBeGreaterThan(10);
    expect(refused?.status).toBe(409);
    expect(refused?.body.error).toMatchObject({ code: 'registry_item_full', retryAfter: expect.any(String) });
    // Nothing was made for the refused call, and the item stayed within Sync's limit.
    expect(keysOnTwilio()).toEqual(keysBefore);
    const item = fixture.sandbox.state.syncMapItems.find((entry) => entry.key === fixture.subaccountSid);
    expect(Buffer.byteLength(JSON.stringify(item?.data))).toBeLessThanOrEqual(16 * 1024);
  });
});
