/**
 * Billing from /admin/usage in-process against the sandbox: usage made by simulated calls, recordings
 * and numbers, grand totals carried across pages, CSV, markup in decimal arithmetic, refusals, and a
 * page of 100 subaccounts read with the Usage Records requests in flight at once.
 */
import { adminDeps } from '../../../src/admin/deps';
import { newSubaccountRecord } from '../../../src/admin/subaccounts/creation/creation-record';
import { USAGE_READS_IN_FLIGHT } from '../../../src/admin/usage/usage';
import { loadConfig } from '../../../src/config/config';
import { handler as usage } from '../../../src/functions/admin/usage';
import { invokeFunction } from '../../../testkit/function-runtime';
import { sandboxEnv } from '../../../testkit/provision-tenant';
import { useSandbox } from '../../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../../testkit/service-env';

const NOVEMBER = { startDate: '2026-11-01', endDate: '2026-11-30' };

interface Summary {
  subaccounts: { subaccountSid: string; cost: string | null; billed: string | null }[];
  totals: { currency: string; cost: string; billed: string; subaccounts: number }[];
  byCategory: { category: string; cost: string; billed: string; usage: string | null; subaccounts: number }[];
  complete: boolean;
  pending: string[];
  nextCursor?: string;
}

describe('billing from usage', () => {
  const sandbox = useSandbox();
  let env: Record<string, string>;
  let mainSid: string;

  beforeEach(() => {
    env = sandboxEnv(sandbox(), serviceEnv());
    mainSid = env.ACCOUNT_SID as string;
  });

  /** A subaccount on Twilio and in the registry, as the create function leaves one. */
  async function subaccount(friendlyName: string): Promise<string> {
    const { sid } = sandbox().createAccount({ ownerAccountSid: mainSid, friendlyName });
    const record = newSubaccountRecord(sid, friendlyName, new Date(Date.UTC(2026, 0, 1)), {
      status: 'active',
    });
    await adminDeps(loadConfig(env)).registry.create(sid, record);
    return sid;
  }

  const call = (body: Record<string, unknown>) =>
    invokeFunction(usage, { env, body, headers: { authorization: `Bearer ${adminKeyOf(env)}` } });
  const summary = async (body: Record<string, unknown>) => (await call(body)).json<Summary>();

  /** A subaccount whose month was: a number, an inbound call, a browser call, a dialled call, a recording. */
  async function busySubaccount(): Promise<string> {
    const sid = await subaccount('Acme Dental');
    const number = sandbox().addPhoneNumber(sid);
    number.dateCreated = '2026-11-03T10:00:00.000Z';
    const at = (start: string, seconds: number) => ({
      startTime: `2026-11-${start}Z`,
      endTime: new Date(Date.parse(`2026-11-${start}Z`) + seconds * 1000).toISOString(),
      status: 'completed' as const,
    });
    sandbox().createCall({
      accountSid: sid,
      from: '+15005550006',
      to: number.phoneNumber,
      ...at('05T09:00:00', 65),
    });
    sandbox().createCall({
      accountSid: sid,
      from: 'client:alice',
      to: '+14155550100',
      ...at('06T09:00:00', 30),
    });
    const dialled = sandbox().createCall({
      accountSid: sid,
      from: number.phoneNumber,
      to: '+14155550100',
      direction: 'outbound-dial',
      ...at('06T09:00:01', 125),
    });
    // Made the way the recordings engineer's call end makes them: the sandbox only reads state.
    sandbox().state.recordings.push({
      sid: 'RE00000000000000000000000000000001',
      accountSid: sid,
      callSid: dialled.sid,
      source: 'DialVerb',
      status: 'completed',
      channels: 2,
      durationSeconds: 61,
      price: '-0.005',
      startTime: '2026-11-06T09:00:02.000Z',
      dateCreated: '2026-11-06T09:00:02.000Z',
      dateUpdated: '2026-11-06T09:03:07.000Z',
    });
    // Outside the range: not counted.
    sandbox().createCall({
      accountSid: sid,
      from: '+15005550006',
      to: number.phoneNumber,
      ...at('05T09:00:00', 65),
      startTime: '2026-10-31T23:59:00Z',
      endTime: '2026-11-01T00:01:00Z',
    });
    return sid;
  }

  it('shows the cost of simulated calls, recordings and numbers, with markup, totals and as CSV', async () => {
    const acme = await busySubaccount();
    const globex = await subaccount('=HYPERLINK("http://x"), Inc');
    sandbox().addUsage({
      accountSid: globex,
      category: 'calls-inbound',
      startDate: '2026-11-02',
      price: '0.1',
    });
    sandbox().addUsage({
      accountSid: globex,
      category: 'calls-inbound',
      startDate: '2026-11-09',
      price: '0.2',
    });
    sandbox().addUsage({
      accountSid: globex,
      category: 'min-spend-adjustments',
      startDate: '2026-11-09',
      price: '-0.05',
    });

    const one = (await call({ subaccountSid: acme, ...NOVEMBER, markupPercent: 15 })).json<{
      cost: string;
      billed: string;
      categories: { category: string; usage: string; cost: string; billed: string }[];
    }>();
    // Per started minute: 65 s inbound = 2 x 0.0085, 30 s browser leg = 1 x 0.004, 125 s dialled = 3 x
    // 0.014; 61 s recorded = 2 x 0.0025; the number's month 1.15.
    expect(Object.fromEntries(one.categories.map((c) => [c.category, [c.usage, c.cost, c.billed]]))).toEqual({
      'calls-inbound-local': ['2', '0.017', '0.02'],
      'calls-client': ['1', '0.004', '0.00'],
      'calls-outbound': ['3', '0.042', '0.05'],
      recordings: ['2', '0.005', '0.01'],
      'phonenumbers-local': ['1', '1.15', '1.32'],
    });
    expect(one).toMatchObject({ cost: '1.218', billed: '1.40' });

    const all = await summary({ ...NOVEMBER, markupPercent: '15' });
    expect(all.subaccounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subaccountSid: acme, cost: '1.218', billed: '1.40' }),
        // 0.1 + 0.2 is 0.3, less a 0.05 credit; 0.25 x 1.15 = 0.2875, billed 0.29.
        expect.objectContaining({ subaccountSid: globex, cost: '0.25', billed: '0.29' }),
      ]),
    );
    expect(all.complete).toBe(true);
    expect(all.totals).toEqual([{ currency: 'USD', cost: '1.468', billed: '1.69', subaccounts: 2 }]);
    expect(all.byCategory.find((c) => c.category === 'min-spend-adjustments')).toMatchObject({
      cost: '-0.05',
      // Half away from zero: -0.0575 bills -0.06.
      billed: '-0.06',
    });

    const csv = await call({ ...NOVEMBER, markupPercent: 15, format: 'csv' });
    expect(csv.statusCode).toBe(200);
    expect(String(csv.headers['Content-Type'])).toMatch(/^text\/csv/);
    expect(csv.headers['Content-Disposition']).toBe(
      'attachment; filename="usage-2026-11-01-to-2026-11-30.csv"',
    );
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      'subaccountSid,friendlyName,status,startDate,endDate,currency,category,description,count,countUnit,usage,usageUnit,cost,markupPercent,billed',
    );
    expect(lines).toContain(
      `${acme},Acme Dental,active,2026-11-01,2026-11-30,USD,calls-outbound,Outbound Voice Minutes,1,calls,3,minutes,0.042,15,0.05`,
    );
    expect(lines).toContain(
      `${acme},Acme Dental,active,2026-11-01,2026-11-30,USD,totalprice,Total Price,,,,,1.218,15,1.40`,
    );
    // The formula-like name is made text, then quoted (RFC 4180); the credit stays a number.
    expect(lines).toContain(
      `${globex},"'=HYPERLINK(""http://x""), Inc",active,2026-11-01,2026-11-30,USD,min-spend-adjustments,min-spend-adjustments,1,calls,1,minutes,-0.05,15,-0.06`,
    );
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + 6 + 3 + 1);
  });

  it('sums many small and float-unfriendly amounts exactly', async () => {
    const sid = await subaccount('Small change');
    for (let day = 0; day < 1000; day++) {
      const date = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      sandbox().addUsage({ accountSid: sid, category: 'sms', startDate: date, price: '0.0001' });
    }
    sandbox().addUsage({ accountSid: sid, category: 'calls', startDate: '2026-02-01', price: 0.1 });
    sandbox().addUsage({ accountSid: sid, category: 'calls', startDate: '2026-02-02', price: 0.2 });
    const range = { startDate: '2026-01-01', endDate: '2028-12-31', markupPercent: '12.5' };
    const result = await summary(range);
    expect(result.byCategory.map((c) => [c.category, c.cost, c.billed])).toEqual([
      ['calls', '0.3', '0.34'], // 0.3375 → 0.34
      ['sms', '0.1', '0.11'], // 0.1125 → 0.11
    ]);
    expect(result.totals).toEqual([{ currency: 'USD', cost: '0.4', billed: '0.45', subaccounts: 1 }]);
  });

  it('carries the grand totals across pages to the same sums as one page', async () => {
    const sids = [await busySubaccount()];
    for (let index = 0; index < 4; index++) {
      const sid = await subaccount(`Tenant ${index}`);
      sids.push(sid);
      sandbox().addUsage({
        accountSid: sid,
        category: 'calls-inbound',
        startDate: '2026-11-02',
        price: `0.${index}7`,
      });
      sandbox().addUsage({
        accountSid: sid,
        category: 'calls-client',
        startDate: '2026-11-03',
        price: '0.0333',
      });
    }
    const range = { ...NOVEMBER, markupPercent: 7.5 };
    const whole = await summary({ ...range, pageSize: 100 });
    const pages: Summary[] = [];
    let cursor: string | undefined;
    do {
      const page = await summary({ ...range, pageSize: 2, cursor });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toHaveLength(3);
    expect(pages.map((page) => page.complete)).toEqual([false, false, true]);
    const last = pages.at(-1) as Summary;
    expect(last.totals).toEqual(whole.totals);
    expect(last.byCategory).toEqual(whole.byCategory);
    expect(pages.flatMap((page) => page.subaccounts.map((row) => row.subaccountSid)).sort()).toEqual(
      [...sids].sort(),
    );

    // CSV pages concatenate into the one-page file: only the first carries the header row.
    const csvWhole = (await call({ ...range, pageSize: 100, format: 'csv' })).text;
    let csvPages = '';
    let next: string | undefined;
    do {
      const page = await call({ ...range, pageSize: 2, format: 'csv', ...(next ? { cursor: next } : {}) });
      csvPages += page.text;
      next = page.headers['Next-Cursor'] as string | undefined;
    } while (next);
    expect(csvPages).toBe(csvWhole);
  });

  it('refuses bad markup, format and cursors with 400, asking Twilio nothing', async () => {
    await subaccount('Tenant');
    await subaccount('Tenant 2');
    const first = await summary({ ...NOVEMBER, pageSize: 1, markupPercent: 10 });
    const cursor = first.nextCursor as string;
    const before = sandbox().countRequests();
    const refusals: [Record<string, unknown>, string][] = [
      [{ markupPercent: -5 }, 'markupPercent'],
      [{ markupPercent: 1000.5 }, 'markupPercent'],
      [{ markupPercent: '12.34567' }, 'markupPercent'],
      [{ markupPercent: '=1+1' }, 'markupPercent'],
      [{ format: 'xlsx' }, 'format'],
      [{ markupPercent: 10, cursor: `${cursor.slice(0, 10)}A${cursor.slice(11)}` }, 'cursor'],
      [{ markupPercent: 10, cursor: `${cursor.split('.')[0]}.${'A'.repeat(43)}` }, 'cursor'],
      // A real cursor, but of a summary at another markup: its totals would not add up.
      [{ markupPercent: 20, cursor }, 'cursor'],
    ];
    for (const [given, parameter] of refusals) {
      const answer = await call({ ...NOVEMBER, ...given });
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ error: { code: 'invalid_parameter', parameter } });
    }
    expect(sandbox().countRequests()).toBe(before);
  });

  it('reads a page of 100 subaccounts with one request each, 20 in flight, well inside the time limit', async () => {
    // Seeding 120 registry items in a burst is the fixture: Sync's per-object limit is off meanwhile.
    sandbox().setLimits({ syncRateLimits: false });
    for (let index = 0; index < 120; index++) await subaccount(`Tenant ${index}`);
    sandbox().setLimits({ syncRateLimits: true });
    sandbox().log = [];
    sandbox().peakRequestsInFlight = 0;
    sandbox().setLatency(150);
    const page = await summary({ ...NOVEMBER, pageSize: 100 });

    expect(page.subaccounts).toHaveLength(100);
    expect(page.pending).toEqual([]);
    expect(page.nextCursor).toEqual(expect.any(String));
    // One Usage Records request per subaccount, and one registry page: 101 requests.
    expect(sandbox().countRequests({ operationId: 'ListUsageRecord' })).toBe(100);
    expect(sandbox().countRequests()).toBe(101);
    // 100 sequential requests would take 15 s at 150 ms. Counted instead of timed: never more than 20
    // in flight, and many at once, so the Twilio time on the call's path is the registry page plus
    // ceil(100 / 20) = 5 rounds of reads, 900 ms.
    expect(sandbox().peakRequestsInFlight).toBeLessThanOrEqual(USAGE_READS_IN_FLIGHT);
    expect(sandbox().peakRequestsInFlight).toBeGreaterThan(USAGE_READS_IN_FLIGHT / 2);
    const rounds = 1 + Math.ceil(100 / USAGE_READS_IN_FLIGHT);
    expect(rounds * 150).toBeLessThan(10_000 / 4);
  }, 60_000);
});
