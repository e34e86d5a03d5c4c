import { findVerb } from '../../../sandbox';
import { SMS_OPT_OUT_WARNING } from '../../../src/admin/numbers/transfer';
import { handler as create } from '../../../src/functions/admin/subaccounts/create';
import { handler as check } from '../../../src/functions/admin/subaccounts/check';
import { handler as get } from '../../../src/functions/admin/subaccounts/get';
import { handler as transfer } from '../../../src/functions/admin/numbers/transfer';
import { handler as update } from '../../../src/functions/admin/subaccounts/update';
import { handler as addAddress } from '../../../src/functions/admin/addresses/create';
import { invokeFunction } from '../../../testkit/function-runtime';
import { defined, sandboxClient, useSandbox } from '../../helpers/sandbox';
import { startInProcessVoice, type InProcessVoice } from '../../helpers/in-process-voice';
import { adminKeyOf, serviceEnv } from '../../../testkit/service-env';
import { clientIdentities } from '../../../testkit/twiml';

/** An admin function called in-process with the admin key of `env`, its status and JSON answer. */
async function adminAs(env: Record<string, string>, handler: typeof create, body: Record<string, unknown>) {
  const answer = await invokeFunction(handler, {
    env,
    body,
    headers: { authorization: `Bearer ${adminKeyOf(env)}` },
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: answer.statusCode, body: answer.json<Record<string, any>>() };
}

describe('numbers/transfer between subaccounts with Messaging Services', () => {
  const sandbox = useSandbox();
  let env: Record<string, string>;
  let numbers: { sid: string }[];

  const admin = (handler: typeof create, body: Record<string, unknown>) => adminAs(env, handler, body);

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

  it("keeps the losing subaccount's inbound routing of the number and says so, and a move with none keeps nothing", async () => {
    const { first, acme } = await acmeAndGlobex();
    const phoneNumber = held(first).phoneNumber;
    const routed = await admin(update, {
      subaccountSid: acme.sid,
      inboundRouting: { [phoneNumber]: ['alice'] },
    });
    expect(routed.status).toBe(200);

    const out = await move(first, acme.sid, env.ACCOUNT_SID);
    expect(out.body).toMatchObject({ routingKept: ['alice'], routingRestored: null });
    expect(out.body.warnings).toEqual([SMS_OPT_OUT_WARNING]);
    // Away, the number is not the subaccount's: it is neither listed nor routed there.
    const got = await admin(get, { subaccountSid: acme.sid });
    expect(got.body.subaccount).toMatchObject({ numbers: [], inboundRouting: {} });
    const routeAway = await admin(update, {
      subaccountSid: acme.sid,
      inboundRouting: { [phoneNumber]: ['bob'] },
    });
    expect(routeAway.status).toBe(400);

    const back = await move(first, env.ACCOUNT_SID ?? '', acme.sid);
    expect(back.body).toMatchObject({ routingKept: null, routingRestored: ['alice'] });
    const second = defined(numbers[2]).sid;
    const unrouted = await move(second, env.ACCOUNT_SID ?? '', acme.sid);
    expect(unrouted.body).toMatchObject({ routingKept: null, routingRestored: null });
    const plain = await move(second, acme.sid, env.ACCOUNT_SID ?? '');
    expect(plain.body).toMatchObject({ routingKept: null, routingRestored: null });
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

describe('a number moved out of a subaccount and back', () => {
  const sandbox = useSandbox();
  let voice: InProcessVoice;
  let env: Record<string, string>;
  let mainNumbers: { sid: string; phoneNumber: string }[];

  beforeAll(async () => {
    voice = await startInProcessVoice();
  });
  afterAll(async () => {
    await voice.close();
  });
  beforeEach(() => {
    const main = sandbox().seed({ phoneNumbers: 2 });
    mainNumbers = main.phoneNumbers;
    env = serviceEnv({
      ACCOUNT_SID: main.accountSid,
      AUTH_TOKEN: main.authToken,
      TWILIO_API_BASE_URL: sandbox().baseUrl,
      PUBLIC_BASE_URL: voice.url,
    });
    voice.use(env);
  });

  const admin = (handler: typeof create, body: Record<string, unknown>) => adminAs(env, handler, body);
  const tenant = async (name: string, phoneNumberSid: string, identity: string) => {
    const made = await admin(create, {
      friendlyName: name,
      idempotencyKey: `${name}-create`,
      phoneNumberSid,
    });
    const sid = made.body.subaccount.sid as string;
    const phoneNumber = made.body.subaccount.numbers[0].phoneNumber as string;
    expect(
      (await admin(update, { subaccountSid: sid, inboundRouting: { [phoneNumber]: [identity] } })).status,
    ).toBe(200);
    return { sid, app: made.body.subaccount.twimlAppSid as string };
  };
  /** Who an inbound call to the number rings: Twilio (the sandbox) calls it, the service answers. */
  const rings = async (phoneNumber: string) => {
    const call = await sandbox().inboundCall({ to: phoneNumber, from: '+14155550100' });
    expect(call.status).toBe(200);
    return clientIdentities(findVerb(defined(call.response), 'Dial'));
  };
  const transferred = async (phoneNumberSid: string, fromAccountSid: string, toAccountSid: string) => {
    const answer = await admin(transfer, { phoneNumberSid, fromAccountSid, toAccountSid });
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const onApp = (numberSid: string) =>
    sandbox().state.incomingPhoneNumbers.find((number) => number.sid === numberSid)?.voiceApplicationSid;

  it('rings the same browser after a move to the main account and back, on its App again', async () => {
    const number = defined(mainNumbers[0]);
    const acme = await tenant('acme', number.sid, 'alice');
    expect(await rings(number.phoneNumber)).toEqual(['alice']);

    await transferred(number.sid, acme.sid, env.ACCOUNT_SID ?? '');
    expect(onApp(number.sid)).toBeNull();
    await transferred(number.sid, env.ACCOUNT_SID ?? '', acme.sid);

    expect(onApp(number.sid)).toBe(acme.app);
    expect(await rings(number.phoneNumber)).toEqual(['alice']);
  });

  it('rings each subaccount as it routed the number, moved between two subaccounts and back', async () => {
    const number = defined(mainNumbers[0]);
    const acme = await tenant('acme', number.sid, 'alice');
    const globex = await tenant('globex', defined(mainNumbers[1]).sid, 'bob');

    const there = await transferred(number.sid, acme.sid, globex.sid);
    expect(there).toMatchObject({ routingKept: ['alice'], routingRestored: null });
    // In globex it is unrouted until globex routes it: its routing is globex's own.
    expect(await rings(number.phoneNumber)).toEqual([]);
    await admin(update, { subaccountSid: globex.sid, inboundRouting: { [number.phoneNumber]: ['carol'] } });
    expect(await rings(number.phoneNumber)).toEqual(['carol']);

    const back = await transferred(number.sid, globex.sid, acme.sid);
    expect(back).toMatchObject({ routingKept: ['carol'], routingRestored: ['alice'] });
    expect(onApp(number.sid)).toBe(acme.app);
    expect(await rings(number.phoneNumber)).toEqual(['alice']);
  });
  it('is routed as it was when it comes back by other means, once check repairs the registry', async () => {
    const number = defined(mainNumbers[0]);
    const acme = await tenant('acme', number.sid, 'alice');
    await transferred(number.sid, acme.sid, env.ACCOUNT_SID ?? '');
    // Moved back in the Console, behind the service's back: Twilio alone knows.
    const main = sandboxClient(sandbox(), env.ACCOUNT_SID ?? '', env.AUTH_TOKEN ?? '');
    await main.incomingPhoneNumbers(number.sid).update({ accountSid: acme.sid });

    const repaired = await admin(check, { subaccountSid: acme.sid, repair: true });

    expect(repaired.status).toBe(200);
    expect(onApp(number.sid)).toBe(acme.app);
    expect(await rings(number.phoneNumber)).toEqual(['alice']);
  });
});
