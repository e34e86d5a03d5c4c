import { adminDeps } from '../../../src/admin/deps';
import { newSubaccountRecord } from '../../../src/admin/subaccounts/creation/creation-record';
import { listSubaccounts, type ListParameters } from '../../../src/admin/subaccounts/list';
import { loadConfig } from '../../../src/config/config';
import { handler as list } from '../../../src/functions/admin/subaccounts/list';
import { type SubaccountRecord, type SubaccountStatus } from '../../../src/registry/types';
import { invokeFunction } from '../../../testkit/function-runtime';
import { useSandbox } from '../../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../../testkit/service-env';

/** Registry items only: listing reads nothing else. */
const COUNT = 230;
const sidOf = (index: number) => `AC${index.toString(16).padStart(32, '0')}`;
const statusOf = (index: number): SubaccountStatus => (index % 7 === 0 ? 'suspended' : 'active');
const nameOf = (index: number) => (index === COUNT - 1 ? 'Zebra Dental' : `Tenant ${index}`);

function recordOf(index: number): SubaccountRecord {
  return newSubaccountRecord(sidOf(index), nameOf(index), new Date(Date.UTC(2026, 0, 1)), {
    status: statusOf(index),
  });
}

describe('listing the registry', () => {
  // The tests only read: the registry is written once for all of them.
  const sandbox = useSandbox({ emptyBeforeEach: false });
  let env: Record<string, string>;
  const deps = () => adminDeps(loadConfig(env));
  const parameters = (given: Partial<ListParameters>): ListParameters => ({ pageSize: 50, ...given });

  beforeAll(async () => {
    const main = sandbox().seed();
    env = serviceEnv({
      ACCOUNT_SID: main.accountSid,
      AUTH_TOKEN: main.authToken,
      TWILIO_API_BASE_URL: sandbox().baseUrl,
    });
    // Written out of order: the registry answers in SID order whatever the order of creation.
    const indexes = Array.from({ length: COUNT }, (_, index) => (index * 37) % COUNT);
    // Seeding 230 items in a burst is the fixture, not what is under test: Sync's per-object rate limit
    // is off while it runs, then on again for the listing.
    sandbox().setLimits({ syncRateLimits: false });
    const { registry } = deps();
    for (const index of indexes) await registry.create(sidOf(index), recordOf(index));
    sandbox().setLimits({ syncRateLimits: true });
    // Hundreds of requests, once for the whole file: room for a busy machine.
  }, 120_000);

  /** Every page of a list, following nextCursor to the end. */
  async function allPages(given: Partial<ListParameters>) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listSubaccounts(deps(), parameters({ ...given, cursor }));
      pages.push(page.subaccounts.map((subaccount) => subaccount.sid));
      cursor = page.nextCursor;
    } while (cursor);
    return pages;
  }

  const indexesWhere = (test: (index: number) => boolean) =>
    Array.from({ length: COUNT }, (_, index) => index).filter(test);

  it('pages through every subaccount once, in SID order, the last page without a cursor', async () => {
    const pages = await allPages({ pageSize: 100 });
    expect(pages.map((page) => page.length)).toEqual([100, 100, 30]);
    expect(pages.flat()).toEqual(indexesWhere(() => true).map(sidOf));
  });

  it('fills every filtered page, reading on through the registry, and ends exactly', async () => {
    const suspended = indexesWhere((index) => statusOf(index) === 'suspended').map(sidOf);
    const pages = await allPages({ status: 'suspended', pageSize: 10 });
    expect(pages.flat()).toEqual(suspended);
    expect(pages.slice(0, -1).every((page) => page.length === 10)).toBe(true);
    expect(pages).toHaveLength(Math.ceil(suspended.length / 10));
  });

  it('finds a match at the far end of the registry in one call', async () => {
    const page = await listSubaccounts(deps(), parameters({ name: 'dental' }));
    expect(page.subaccounts.map((subaccount) => subaccount.friendlyName)).toEqual(['Zebra Dental']);
    expect(page.nextCursor).toBeUndefined();
  });

  it('stops when its time is up and resumes the search from the cursor', async () => {
    const timeUp = { hasTime: () => false };
    const first = await listSubaccounts(deps(), parameters({ name: 'dental' }), timeUp);
    expect(first.subaccounts).toEqual([]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const resumed = await listSubaccounts(deps(), parameters({ name: 'dental', cursor: first.nextCursor }));
    expect(resumed.subaccounts.map((subaccount) => subaccount.sid)).toEqual([sidOf(COUNT - 1)]);
  });

  it('refuses a cursor it did not give out, with a 400 naming it', async () => {
    const answer = await invokeFunction(list, {
      env,
      body: { cursor: Buffer.from('not a sid').toString('base64url') },
      headers: { authorization: `Bearer ${adminKeyOf(env)}` },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ error: { code: 'invalid_parameter', parameter: 'cursor' } });
  });
});
