import { handler as create } from '../../../src/functions/admin/subaccounts/create';
import { handler as usage } from '../../../src/functions/admin/usage';
import { startAdminFixture, type AdminFixture } from '../../helpers/admin-fixture';
import { invokeFunction } from '../../../testkit/function-runtime';
import { adminKeyOf } from '../../../testkit/service-env';

interface Summary {
  subaccounts: { subaccountSid: string }[];
  pending: string[];
  nextCursor?: string;
}

let fixture: AdminFixture;

beforeAll(async () => {
  fixture = await startAdminFixture();
  await admin(create, { friendlyName: 'Second', idempotencyKey: 'second-create' });
});

afterAll(async () => {
  await fixture.sandbox.close();
});

function admin(handler: typeof usage, body: Record<string, unknown>) {
  return invokeFunction(handler, {
    env: fixture.env,
    body,
    headers: { authorization: `Bearer ${adminKeyOf(fixture.env)}` },
  });
}

it('pages the usage summary across subaccounts with a cursor, each subaccount once', async () => {
  const range = { startDate: '2026-11-01', endDate: '2026-11-30', pageSize: 1 };
  const first = (await admin(usage, range)).json<Summary>();
  expect(first.subaccounts).toHaveLength(1);
  expect(first.nextCursor).toEqual(expect.any(String));
  const second = (await admin(usage, { ...range, cursor: first.nextCursor })).json<Summary>();
  expect(second.subaccounts).toHaveLength(1);
  expect(second.nextCursor).toBeUndefined();
  const sids = [...first.subaccounts, ...second.subaccounts].map((row) => row.subaccountSid);
  expect(new Set(sids).size).toBe(2);
  expect(sids).toContain(fixture.subaccountSid);
});
