/**
 * Usage Records from the sandbox's own activity: ended calls by leg, recordings and number rent, priced
 * with SANDBOX_PRICES and summed in decimals, beside explicitly added records.
 */
import { sandboxClient, useSandbox } from '../../helpers/sandbox';

describe('usage the sandbox derives from its state', () => {
  const sandbox = useSandbox();

  function subaccount() {
    const main = sandbox().seed();
    const sub = sandbox().createAccount({ ownerAccountSid: main.accountSid, friendlyName: 'Tenant' });
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const usage = async (startDate: string, endDate: string, accountSid = sub.sid) =>
      Object.fromEntries(
        (
          await client.api.v2010.accounts(accountSid).usage.records.list({
            startDate: new Date(`${startDate}T00:00:00Z`),
            endDate: new Date(`${endDate}T00:00:00Z`),
          })
        ).map((record) => [record.category, [record.count, record.usage, record.price]]),
      );
    return { main, sub, usage };
  }

  const ended = (start: string, seconds: number) => ({
    startTime: start,
    endTime: new Date(Date.parse(start) + seconds * 1000).toISOString(),
    status: 'completed' as const,
  });

  it('prices ended calls per started minute by leg, leaving calls still up and other days out', async () => {
    const { sub, usage } = subaccount();
    const number = sandbox().addPhoneNumber(sub.sid);
    number.dateCreated = '2026-01-01T00:00:00.000Z';
    const inbound = { accountSid: sub.sid, from: '+15005550006', to: number.phoneNumber };
    sandbox().createCall({ ...inbound, ...ended('2026-03-02T10:00:00Z', 60) });
    sandbox().createCall({ ...inbound, ...ended('2026-03-02T11:00:00Z', 61) });
    sandbox().createCall({ ...inbound, status: 'in-progress', startTime: '2026-03-02T12:00:00Z' });
    sandbox().createCall({ ...inbound, ...ended('2026-04-01T00:00:00Z', 600) });
    sandbox().createCall({
      accountSid: sub.sid,
      from: 'client:alice',
      to: 'client:bob',
      ...ended('2026-03-03T10:00:00Z', 1),
    });
    sandbox().createCall({
      accountSid: sub.sid,
      from: number.phoneNumber,
      to: '+14155550100',
      direction: 'outbound-api',
      ...ended('2026-03-03T10:00:00Z', 0),
    });
    expect(await usage('2026-03-02', '2026-03-31')).toMatchObject({
      'calls-inbound-local': ['2', '3', '0.0255'],
      'calls-client': ['1', '1', '0.004'],
      // Answered and hung up at once: a call, no minute.
      'calls-outbound': ['1', '0', '0'],
    });
  });

  it('bills recordings once made, deleted or not, and none that never was', async () => {
    const { sub, usage } = subaccount();
    const recording = (sid: string, status: 'completed' | 'deleted' | 'absent', durationSeconds: number) =>
      sandbox().state.recordings.push({
        sid,
        accountSid: sub.sid,
        callSid: 'CA00000000000000000000000000000001',
        source: 'RecordVerb',
        status,
        channels: 1,
        durationSeconds,
        price: null,
        startTime: '2026-03-05T10:00:00.000Z',
        dateCreated: '2026-03-05T10:00:00.000Z',
        dateUpdated: '2026-03-05T10:00:00.000Z',
      });
    recording('RE00000000000000000000000000000001', 'completed', 150);
    recording('RE00000000000000000000000000000002', 'deleted', 10);
    recording('RE00000000000000000000000000000003', 'absent', 0);
    expect(await usage('2026-03-01', '2026-03-31')).toMatchObject({ recordings: ['2', '4', '0.01'] });
  });

  it("charges a number's month on the day bought and each bill date after, the last day in short months", async () => {
    const { main, sub, usage } = subaccount();
    const number = sandbox().addPhoneNumber(sub.sid);
    number.dateCreated = '2026-01-31T09:00:00.000Z';
    // Jan 31, then Feb 28, and the 28th from then on.
    expect(await usage('2026-01-01', '2026-01-31')).toMatchObject({
      'phonenumbers-local': ['1', '1', '1.15'],
    });
    expect(await usage('2026-02-28', '2026-02-28')).toMatchObject({
      'phonenumbers-local': ['1', '1', '1.15'],
    });
    expect((await usage('2026-03-29', '2026-03-31'))['phonenumbers-local']).toBeUndefined();
    expect(await usage('2026-01-01', '2026-06-30')).toMatchObject({
      'phonenumbers-local': ['6', '6', '6.9'],
      totalprice: ['0', '0', '6.9'],
    });
    // The main account's list includes its subaccounts' usage, as Twilio's IncludeSubaccounts does.
    sandbox().addUsage({
      accountSid: main.accountSid,
      category: 'calls-inbound',
      startDate: '2026-02-01',
      price: '0.1',
    });
    expect((await usage('2026-01-01', '2026-06-30', main.accountSid)).totalprice).toEqual(['0', '0', '7']);
  });
});
