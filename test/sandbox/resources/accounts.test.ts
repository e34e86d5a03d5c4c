import { refusal, sandboxClient, useSandbox } from '../../helpers/sandbox';

describe('account status rules', () => {
  const sandbox = useSandbox();

  async function setUp() {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'Tenant' });
    return { main, client, sub };
  }

  it('suspends and reactivates a subaccount from the parent', async () => {
    const { client, sub } = await setUp();
    expect((await client.api.v2010.accounts(sub.sid).update({ status: 'suspended' })).status).toBe(
      'suspended',
    );
    expect((await client.api.v2010.accounts(sub.sid).update({ status: 'active' })).status).toBe('active');
    expect(await client.api.v2010.accounts.list({ status: 'active' })).toHaveLength(2);
  });

  it('treats closed as final (21479) and releases the numbers of a closed subaccount', async () => {
    const { client, sub } = await setUp();
    sandbox().addPhoneNumber(sub.sid);
    await client.api.v2010.accounts(sub.sid).update({ status: 'closed' });
    expect(sandbox().state.incomingPhoneNumbers.filter((n) => n.accountSid === sub.sid)).toEqual([]);
    expect(await refusal(client.api.v2010.accounts(sub.sid).update({ status: 'active' }))).toEqual({
      status: 400,
      code: 21479,
    });
    expect(sandbox().state.accounts.find((a) => a.sid === sub.sid)?.status).toBe('closed');
  });

  it('refuses to suspend or close the main account', async () => {
    const { client, main } = await setUp();
    expect(await refusal(client.api.v2010.accounts(main.accountSid).update({ status: 'suspended' }))).toEqual(
      { status: 403, code: 20403 },
    );
    expect(await refusal(client.api.v2010.accounts(main.accountSid).update({ status: 'closed' }))).toEqual({
      status: 403,
      code: 20403,
    });
  });

  it("lets only the parent change a subaccount's status", async () => {
    const { sub } = await setUp();
    const own = sandboxClient(sandbox(), sub.sid, sub.authToken);
    expect(await refusal(own.api.v2010.accounts(sub.sid).update({ status: 'closed' }))).toEqual({
      status: 403,
      code: 20403,
    });
    expect((await own.api.v2010.accounts(sub.sid).update({ friendlyName: 'Renamed' })).friendlyName).toBe(
      'Renamed',
    );
  });

  it('lists accounts by FriendlyName and refuses subaccounts creating subaccounts', async () => {
    const { client, sub } = await setUp();
    expect((await client.api.v2010.accounts.list({ friendlyName: 'Tenant' })).map((a) => a.sid)).toEqual([
      sub.sid,
    ]);
    const own = sandboxClient(sandbox(), sub.sid, sub.authToken);
    expect(await refusal(own.api.v2010.accounts.create({ friendlyName: 'nested' }))).toEqual({
      status: 403,
      code: 20403,
    });
  });
});
