/**
 * Twilio deletes a closed subaccount 30 days after closure and answers 404 for it from then on: the
 * registry marks it deleted, list, check, usage and get carry on past it, and changes are refused.
 */
import { handler as check } from '../../../src/functions/admin/subaccounts/check';
import { handler as close } from '../../../src/functions/admin/subaccounts/close';
import { handler as create } from '../../../src/functions/admin/subaccounts/create';
import { handler as get } from '../../../src/functions/admin/subaccounts/get';
import { handler as list } from '../../../src/functions/admin/subaccounts/list';
import { handler as reactivate } from '../../../src/functions/admin/subaccounts/reactivate';
import { handler as rotateKey } from '../../../src/functions/admin/subaccounts/rotate-key';
import { handler as suspend } from '../../../src/functions/admin/subaccounts/suspend';
import { handler as update } from '../../../src/functions/admin/subaccounts/update';
import { handler as usage } from '../../../src/functions/admin/usage';
import { startAdminFixture, type AdminFixture } from '../../helpers/admin-fixture';
import { invokeFunction } from '../../../testkit/function-runtime';
import { adminKeyOf } from '../../../testkit/service-env';

let fixture: AdminFixture;
let leaving: string;
let staying: string;

beforeAll(async () => {
  fixture = await startAdminFixture();
  leaving = fixture.subaccountSid;
  staying = (await admin(create, { friendlyName: 'Staying', idempotencyKey: 'staying-create' })).body
    .subaccount.sid;
  expect((await admin(close, { subaccountSid: leaving, confirm: leaving })).status).toBe(200);
  fixture.sandbox.advanceClock(30 * 24 * 3600_000);
});

afterAll(async () => {
  await fixture.sandbox.close();
});

async function admin(handler: typeof usage, body: Record<string, unknown>) {
  const answer = await invokeFunction(handler, {
    env: fixture.env,
    body,
    headers: { authorization: `Bearer ${adminKeyOf(fixture.env)}` },
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: answer.statusCode, body: answer.json<Record<string, any>>() };
}

const rowOf = (rows: { subaccountSid: string }[], sid: string) =>
  rows.find((row) => row.subaccountSid === sid);

it('a check sweep marks the deleted subaccount and checks the others on the same page', async () => {
  const swept = await admin(check, {});
  expect(swept.status).toBe(200);
  expect(rowOf(swept.body.subaccounts, leaving)).toMatchObject({
    status: 'deleted',
    inStep: false,
    drift: [{ code: 'subaccount_deleted', repaired: true }],
  });
  expect(rowOf(swept.body.subaccounts, staying)).toMatchObject({ status: 'active', inStep: true });
  // From then on the registry agrees with Twilio: nothing more to report, nothing asked of its REST API.
  const before = fixture.sandbox.log.length;
  const single = await admin(check, { subaccountSid: leaving });
  expect(single.body).toMatchObject({
    subaccount: { status: 'deleted', deletedAt: expect.any(String) },
    inStep: true,
  });
  expect(
    fixture.sandbox
      .requests()
      .slice(before)
      .filter((entry) => entry.host === 'api.twilio.com' && entry.path.includes(leaving)),
  ).toEqual([]);
});

it('lists it as deleted, with when it was found so', async () => {
  const listed = await admin(list, { status: 'deleted' });
  expect(listed.body.subaccounts.map((row: { sid: string }) => row.sid)).toEqual([leaving]);
  expect(listed.body.subaccounts[0]).toMatchObject({ status: 'deleted', deletedAt: expect.any(String) });
});

it('reports it as deleted in a usage page, without a total, and answers its own usage with 410', async () => {
  const range = { startDate: '2026-11-01', endDate: '2026-11-30' };
  const page = await admin(usage, range);
  expect(page.status).toBe(200);
  expect(rowOf(page.body.subaccounts, leaving)).toMatchObject({ status: 'deleted', totalPrice: null });
  expect(rowOf(page.body.subaccounts, staying)).toMatchObject({ status: 'active', totalPrice: 0 });
  const own = await admin(usage, { ...range, subaccountSid: leaving });
  expect([own.status, own.body.error.code]).toEqual([410, 'subaccount_deleted']);
});

it('gets it from the registry alone', async () => {
  const got = await admin(get, { subaccountSid: leaving });
  expect(got.status).toBe(200);
  expect(got.body).toMatchObject({ subaccount: { sid: leaving, status: 'deleted' }, live: null });
});

it('refuses to change it (410), and closing it again is already done', async () => {
  for (const handler of [suspend, reactivate, rotateKey]) {
    const refused = await admin(handler, { subaccountSid: leaving });
    expect([refused.status, refused.body.error.code]).toEqual([410, 'subaccount_deleted']);
  }
  const renamed = await admin(update, { subaccountSid: leaving, friendlyName: 'Again' });
  expect([renamed.status, renamed.body.error.code]).toEqual([410, 'subaccount_deleted']);
  const closed = await admin(close, { subaccountSid: leaving, confirm: leaving });
  expect([closed.status, closed.body.closed]).toEqual([200, true]);
});
