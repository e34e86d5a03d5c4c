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

  it('refuses to buy a number needing an address without a fitting AddressSid (21631)', async () => {
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
    // An address on file is no longer looked up: the purchase must name it.
    const address = sandbox().addAddress(sub.sid);
    expect(
      await refusal(
        client.api.v2010
          .accounts(sub.sid)
          .incomingPhoneNumbers.create({ phoneNumber: defined(offer).phoneNumber }),
      ),
    ).toEqual({ status: 400, code: 21631 });
    const otherAccountsAddress = sandbox().addAddress(sandbox().seed().accountSid);
    expect(
      await refusal(
        client.api.v2010.accounts(sub.sid).incomingPhoneNumbers.create({
          phoneNumber: defined(offer).phoneNumber,
          addressSid: otherAccountsAddress.sid,
        }),
      ),
    ).toEqual({ status: 400, code: 21631 });
    const bought = await client.api.v2010
      .accounts(sub.sid)
      .incomingPhoneNumbers.create({ phoneNumber: defined(offer).phoneNumber, addressSid: address.sid });
    expect([bought.phoneNumber, bought.addressSid]).toEqual([defined(offer).phoneNumber, address.sid]);
  });

  it('judges local and foreign requirements by the countries of the number and the address', async () => {
    const { client, sub } = await setUp();
    const local = sandbox().addAvailableNumber({ addressRequirements: 'local' });
    const foreign = sandbox().addAvailableNumber({ addressRequirements: 'foreign' });
    const us = sandbox().addAddress(sub.sid, 'US');
    const de = sandbox().addAddress(sub.sid, 'DE');
    const buy = (phoneNumber: string, addressSid: string) =>
      client.api.v2010.accounts(sub.sid).incomingPhoneNumbers.create({ phoneNumber, addressSid });
    expect(await refusal(buy(local.phoneNumber, de.sid))).toEqual({ status: 400, code: 21631 });
    expect(await refusal(buy(foreign.phoneNumber, us.sid))).toEqual({ status: 400, code: 21631 });
    expect((await buy(local.phoneNumber, us.sid)).addressRequirements).toBe('local');
    expect((await buy(foreign.phoneNumber, de.sid)).addressRequirements).toBe('foreign');
  });

  it('answers unset fields of a number as Twilio does: empty strings, not null', async () => {
    const { client, main, number } = await setUp();
    const fetched = await client.api.v2010.accounts(main.accountSid).incomingPhoneNumbers(number.sid).fetch();
    expect(fetched.voiceApplicationSid).toBe('');
    expect(fetched.smsApplicationSid).toBe('');
    expect(fetched.smsUrl).toBe('');
    expect(fetched.statusCallback).toBe('');
    // ...except where Twilio's own example answers null.
    expect(fetched.voiceUrl).toBeNull();
    expect(fetched.trunkSid).toBeNull();
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
    // A compliant address on file in the gaining account is enough for a transfer.
    const address = sandbox().addAddress(sub.sid);
    const moved = await client.api.v2010
      .accounts(main.accountSid)
      .incomingPhoneNumbers(number.sid)
      .update({ accountSid: sub.sid });
    expect([moved.accountSid, moved.addressSid]).toEqual([sub.sid, address.sid]);
  });

  it('refuses to transfer a number needing a local address to an account whose address is abroad (21613)', async () => {
    const { client, sub, main } = await setUp();
    const number = sandbox().addPhoneNumber(main.accountSid, { addressRequirements: 'local' });
    const abroad = sandbox().addAddress(sub.sid, 'GB');
    const move = (addressSid?: string) =>
      client.api.v2010
        .accounts(main.accountSid)
        .incomingPhoneNumbers(number.sid)
        .update({ accountSid: sub.sid, ...(addressSid ? { addressSid } : {}) });
    expect(await refusal(move())).toEqual({ status: 400, code: 21613 });
    expect(await refusal(move(abroad.sid))).toEqual({ status: 400, code: 21613 });
    expect(sandbox().state.incomingPhoneNumbers.find((n) => n.sid === number.sid)?.accountSid).toBe(
      main.accountSid,
    );
    const home = sandbox().addAddress(sub.sid, 'US');
    expect((await move(home.sid)).addressSid).toBe(home.sid);
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
