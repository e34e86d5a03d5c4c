import { defined, refusal, sandboxClient, useSandbox } from '../../helpers/sandbox';

describe('phone numbers: buy, release and transfer', () => {
  const sandbox = useSandbox();

  async function setUp() {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'Tenant' });
    const number = defined(main.phoneNumbers[0]);
    return { main, client, sub, number };
  }

  it('buys a number found through AvailablePhoneNumbers and releases it', async () => {
    const { client, sub } = await setUp();
    const [offer] = await client.api.v2010
      .accounts(sub.sid)
      .availablePhoneNumbers('US')
      .local.list({ areaCode: 415, limit: 1 });
    const bought = await client.api.v2010
      .accounts(sub.sid)
      .incomingPhoneNumbers.create({ phoneNumber: defined(offer).phoneNumber });
    expect(bought.accountSid).toBe(sub.sid);
    expect(
      await refusal(
        client.api.v2010
          .accounts(sub.sid)
          .incomingPhoneNumbers.create({ phoneNumber: defined(offer).phoneNumber }),
      ),
    ).toEqual({ status: 400, code: 21422 });
    await client.api.v2010.accounts(sub.sid).incomingPhoneNumbers(bought.sid).remove();
    expect(await client.api.v2010.accounts(sub.sid).incomingPhoneNumbers.list()).toEqual([]);
  });

  it('refuses to buy a number needing an address until the account has one (21631)', async () => {
    const { client, sub } = await setUp();
    const [offer] = await client.api.v2010
      .accounts(sub.sid)
      .availablePhoneNumbers('US')
      .local.list({ areaCode: 212, limit: 1 });
    expect(defined(offer).addressRequirements).toBe('any');
    expect(
      await refusal(
        client.api.v2010
          .accounts(sub.sid)
          .incomingPhoneNumbers.create({ phoneNumber: defined(offer).phoneNumber }),
      ),
    ).toEqual({ status: 400, code: 21631 });
    sandbox().addAddress(sub.sid);
    expect(
      (
        await client.api.v2010
          .accounts(sub.sid)
          .incomingPhoneNumbers.create({ phoneNumber: defined(offer).phoneNumber })
      ).phoneNumber,
    ).toBe(defined(offer).phoneNumber);
  });

  it("transfers a number to a subaccount with main credentials and points it at the gaining account's app", async () => {
    const { client, sub, main, number } = await setUp();
    const app = await client.api.v2010
      .accounts(sub.sid)
      .applications.create({ voiceUrl: 'https://example.test/voice' });
    const moved = await client.api.v2010
      .accounts(main.accountSid)
      .incomingPhoneNumbers(number.sid)
      .update({ accountSid: sub.sid, voiceApplicationSid: app.sid });
    expect(moved.accountSid).toBe(sub.sid);
    expect(moved.voiceApplicationSid).toBe(app.sid);
    expect((await client.api.v2010.accounts(sub.sid).incomingPhoneNumbers.list()).map((n) => n.sid)).toEqual([
      number.sid,
    ]);
  });

  it('refuses a transfer with subaccount credentials or a key, and between unrelated accounts', async () => {
    const { client, sub, main, number } = await setUp();
    const other = sandbox().seed();
    expect(
      await refusal(
        client.api.v2010
          .accounts(main.accountSid)
          .incomingPhoneNumbers(number.sid)
          .update({ accountSid: other.accountSid }),
      ),
    ).toEqual({ status: 400, code: 21430 });
    const key = await client.api.v2010.accounts(main.accountSid).newKeys.create();
    const keyClient = sandboxClient(sandbox(), key.sid, key.secret, main.accountSid);
    expect(
      await refusal(
        keyClient.api.v2010
          .accounts(main.accountSid)
          .incomingPhoneNumbers(number.sid)
          .update({ accountSid: sub.sid }),
      ),
    ).toEqual({ status: 403, code: 20403 });
    sandbox().addPhoneNumber(sub.sid);
    const subNumber = defined(sandbox().state.incomingPhoneNumbers.find((n) => n.accountSid === sub.sid));
    const subClient = sandboxClient(sandbox(), sub.sid, sub.authToken);
    expect(
      await refusal(
        subClient.api.v2010
          .accounts(sub.sid)
          .incomingPhoneNumbers(subNumber.sid)
          .update({ accountSid: main.accountSid }),
      ),
    ).toEqual({ status: 403, code: 20403 });
    expect(sandbox().state.incomingPhoneNumbers.find((n) => n.sid === number.sid)?.accountSid).toBe(
      main.accountSid,
    );
  });

  it('refuses to transfer a number needing an address to an account without one (21613)', async () => {
    const { client, sub, main } = await setUp();
    const number = sandbox().addPhoneNumber(main.accountSid, { addressRequirements: 'any' });
    expect(
      await refusal(
        client.api.v2010
          .accounts(main.accountSid)
          .incomingPhoneNumbers(number.sid)
          .update({ accountSid: sub.sid }),
      ),
    ).toEqual({ status: 400, code: 21613 });
    sandbox().addAddress(sub.sid);
    expect(
      (
        await client.api.v2010
          .accounts(main.accountSid)
          .incomingPhoneNumbers(number.sid)
          .update({ accountSid: sub.sid })
      ).accountSid,
    ).toBe(sub.sid);
  });

  it("refuses a voice application of another account (the number's config must stay in its account)", async () => {
    const { client, sub, main, number } = await setUp();
    const app = await client.api.v2010
      .accounts(sub.sid)
      .applications.create({ voiceUrl: 'https://example.test/voice' });
    expect(
      await refusal(
        client.api.v2010
          .accounts(main.accountSid)
          .incomingPhoneNumbers(number.sid)
          .update({ voiceApplicationSid: app.sid }),
      ),
    ).toEqual({ status: 400, code: 21606 });
  });
});
