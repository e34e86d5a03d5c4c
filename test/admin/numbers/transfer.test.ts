import { handler as create } from '../../../src/functions/admin/subaccounts/create';
import { handler as transfer } from '../../../src/functions/admin/numbers/transfer';
import { invokeFunction } from '../../helpers/function-runtime';
import { useSandbox } from '../../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../helpers/service-env';

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

  const move = (phoneNumberSid: string, fromAccountSid: string, toAccountSid: string | undefined) =>
    admin(transfer, { phoneNumberSid, fromAccountSid, toAccountSid });

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

  it('leaves the number in its service when the transfer is refused', async () => {
    const { first, acme, globex } = await acmeAndGlobex();
    const held = sandbox().state.incomingPhoneNumbers.find((number) => number.sid === first);
    if (held) held.addressRequirements = 'local';

    const refused = await move(first, acme.sid, globex.sid);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('address_required');
    expect(serviceOf(first)).toBe(acme.service);
  });
});
