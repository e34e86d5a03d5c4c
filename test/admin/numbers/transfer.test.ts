import { handler as create } from '../../../src/functions/admin/subaccounts/create';
import { handler as transfer } from '../../../src/functions/admin/numbers/transfer';
import { handler as update } from '../../../src/functions/admin/subaccounts/update';
import { handler as addAddress } from '../../../src/functions/admin/addresses/create';
import { invokeFunction } from '../../../testkit/function-runtime';
import { defined, useSandbox } from '../../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../../testkit/service-env';

describe('numbers/transfer between subaccounts with Messaging Services', () => {
  const sandbox = useSandbox();
  let env: Record<string, string>;
  let numbers: { sid: string }[];

  const admin = async (handler: typeof create, body: Record<string, unknown>) => {
    const answer = await invokeFunction(handler, {
      env,
      body,
      headers: { authorization: `Bearer ${adminKeyOf(env)}` },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: answer.statusCode, body: answer.json<Record<string, any>>() };
  };

  const move = (
    phoneNumberSid: string,
    fromAccountSid: string,
    toAccountSid: string | undefined,
    addressSid?: string,
  ) =>
    admin(transfer, { phoneNumberSid, fromAccountSid, toAccountSid, ...(addressSid ? { addressSid } : {}) });

  const held = (numberSid: string) =>
    defined(sandbox().state.incomingPhoneNumbers.find((number) => number.sid === numberSid));

  /** A subaccount made by create with a Messaging Service, holding the given main-account number. */
  async function subaccountWith(numberSid: string, name: string) {
    const made = await admin(create, {
      friendlyName: name,
      idempotencyKey: `${name}-create`,
      phoneNumberSid: numberSid,
      messagingService: true,
    });
    return {
      sid: made.body.subaccount.sid as string,
      service: made.body.subaccount.messagingServiceSid as string,
    };
  }

  /** Two such subaccounts, each with one of the main account's numbers; the first number in `acme`. */
  async function acmeAndGlobex() {
    const [first, second] = numbers.map((number) => number.sid) as [string, string];
    return {
      first,
      acme: await subaccountWith(first, 'acme'),
      globex: await subaccountWith(second, 'globex'),
    };
  }

  /** The Messaging Service a number is in, if any. */
  const serviceOf = (numberSid: string) =>
    sandbox().state.messagingPhoneNumbers.find((entry) => entry.sid === numberSid)?.serviceSid ?? null;

  beforeEach(() => {
    const main = sandbox().seed({ phoneNumbers: 3 });
    numbers = main.phoneNumbers;
    env = serviceEnv({
      ACCOUNT_SID: main.accountSid,
      AUTH_TOKEN: main.authToken,
      TWILIO_API_BASE_URL: sandbox().baseUrl,
    });
  });

  it('moves a number out of the losing service and into the gaining one', async () => {
    const { first, acme, globex } = await acmeAndGlobex();
    expect(serviceOf(first)).toBe(acme.service);

    const moved = await move(first, acme.sid, globex.sid);
    expect(moved.status).toBe(200);
    expect(moved.body.messagingServiceSid).toBe(globex.service);
    expect(serviceOf(first)).toBe(globex.service);

    const home = await move(first, globex.sid, env.ACCOUNT_SID);
    expect(home.status).toBe(200);
    expect(home.body.messagingServiceSid).toBeNull();
    expect(serviceOf(first)).toBeNull();
  });

  it("says when a move drops the losing subaccount's inbound routing of the number, and a move with none says nothing of it", async () => {
    const { first, acme } = await acmeAndGlobex();
    const phoneNumber = held(first).phoneNumber;
    const routed = await admin(update, {
      subaccountSid: acme.sid,
      inboundRouting: { [phoneNumber]: ['alice'] },
    });
    expect(routed.status).toBe(200);

    const out = await move(first, acme.sid, env.ACCOUNT_SID);
    expect(out.body.warnings).toContainEqual(
      `Inbound routing of ${phoneNumber} in ${acme.sid} (alice) was dropped: routing stays with the account that holds a number. Moved back, the number rings nobody until update sets its inboundRouting again.`,
    );
    const back = await move(first, env.ACCOUNT_SID ?? '', acme.sid);
    expect(back.status).toBe(200);
    expect(back.body.warnings).toHaveLength(1);
  });

  it('leaves the number in its service when the transfer is refused', async () => {
    const { first, acme, globex } = await acmeAndGlobex();
    const held = sandbox().state.incomingPhoneNumbers.find((number) => number.sid === first);
    if (held) held.addressRequirements = 'local';

    const refused = await move(first, acme.sid, globex.sid);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('address_required');
    expect(serviceOf(first)).toBe(acme.service);
  });

  it('moves by documented steps: AccountSid alone, then the App in its own request', async () => {
    const { first, acme, globex } = await acmeAndGlobex();
    const before = sandbox().log.length;
    const moved = await move(first, acme.sid, globex.sid);
    expect(moved.status).toBe(200);
    const updates = sandbox()
      .log.slice(before)
      .filter((entry) => entry.operationId === 'UpdateIncomingPhoneNumber')
      .map((entry) => entry.fields);
    expect(updates).toEqual([['AccountSid'], ['VoiceApplicationSid']]);
    const app = sandbox().state.applications.find((candidate) => candidate.accountSid === globex.sid);
    expect(held(first)).toMatchObject({ accountSid: globex.sid, voiceApplicationSid: defined(app).sid });
  });

  it('finishes a transfer whose second step failed when the same call is made again', async () => {
    const { first, acme, globex } = await acmeAndGlobex();
    sandbox().failRequest(2, '500', { match: { operationId: 'UpdateIncomingPhoneNumber' } });
    expect((await move(first, acme.sid, globex.sid)).status).toBe(502);
    expect(held(first)).toMatchObject({ accountSid: globex.sid, voiceApplicationSid: null });
    const retried = await move(first, acme.sid, globex.sid);
    expect(retried.status).toBe(200);
    expect(held(first).voiceApplicationSid).toBe(retried.body.voiceApplicationSid);
    expect(serviceOf(first)).toBe(globex.service);
  });

  describe("the gaining account's Address for a number that needs one", () => {
    it('is added through the admin API when the gaining account has none, once however often it is asked', async () => {
      const { first, acme, globex } = await acmeAndGlobex();
      held(first).addressRequirements = 'any';
      const refused = await move(first, acme.sid, globex.sid);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain('add one with /admin/addresses/create (CLI: address-add)');

      const address = {
        accountSid: globex.sid,
        customerName: 'Globex Corporation',
        street: '1 Main St',
        city: 'Springfield',
        region: 'OR',
        postalCode: '97477',
        isoCountry: 'US',
      };
      const added = await admin(addAddress, address);
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({
        created: true,
        address: { accountSid: globex.sid, isoCountry: 'US' },
      });
      const again = await admin(addAddress, address);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ created: false, address: { sid: added.body.address.sid } });
      expect(sandbox().state.addresses.filter((made) => made.accountSid === globex.sid)).toHaveLength(1);

      expect((await move(first, acme.sid, globex.sid)).status).toBe(200);
      expect(held(first)).toMatchObject({ accountSid: globex.sid, addressSid: added.body.address.sid });
    });

    it('uses the one address that fits, and names them all when several do', async () => {
      const { first, acme, globex } = await acmeAndGlobex();
      held(first).addressRequirements = 'any';
      const one = sandbox().addAddress(globex.sid, 'DE');
      const moved = await move(first, acme.sid, globex.sid);
      expect(moved.status).toBe(200);
      expect(held(first).addressSid).toBe(one.sid);

      const two = sandbox().addAddress(acme.sid, 'US');
      const three = sandbox().addAddress(acme.sid, 'FR');
      const refused = await move(first, globex.sid, acme.sid);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: 'address_required',
        requirement: 'any',
        compliantAddressSids: [two.sid, three.sid],
      });
      expect(held(first).accountSid).toBe(globex.sid);
      expect((await move(first, globex.sid, acme.sid, three.sid)).status).toBe(200);
      expect(held(first)).toMatchObject({ accountSid: acme.sid, addressSid: three.sid });
    });

    it('judges a local requirement by the country of the number, refusing an address abroad', async () => {
      const { first, acme, globex } = await acmeAndGlobex();
      held(first).addressRequirements = 'local';
      const abroad = sandbox().addAddress(globex.sid, 'GB');
      const refused = await move(first, acme.sid, globex.sid, abroad.sid);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: 'address_not_compliant',
        parameter: 'addressSid',
        requirement: 'local',
        isoCountry: 'US',
      });
      expect((await move(first, acme.sid, globex.sid)).body.error.code).toBe('address_required');
      expect(serviceOf(first)).toBe(acme.service);
      const home = sandbox().addAddress(globex.sid, 'US');
      expect((await move(first, acme.sid, globex.sid)).status).toBe(200);
      expect(held(first).addressSid).toBe(home.sid);
    });
  });
});
