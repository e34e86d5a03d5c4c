/**
 * No invisible subaccount: a create checks the number before it creates anything, and a create that
 * cannot finish leaves a `provisioning` subaccount that list, get, check and close see, that /token
 * refuses, and that a retry with the same idempotencyKey (or a transfer) finishes.
 */
import { handler as transfer } from '../../../src/functions/admin/numbers/transfer';
import { handler as check } from '../../../src/functions/admin/subaccounts/check';
import { handler as close } from '../../../src/functions/admin/subaccounts/close';
import { handler as create } from '../../../src/functions/admin/subaccounts/create';
import { handler as get } from '../../../src/functions/admin/subaccounts/get';
import { handler as list } from '../../../src/functions/admin/subaccounts/list';
import { handler as suspend } from '../../../src/functions/admin/subaccounts/suspend';
import { invokeFunction } from '../../helpers/function-runtime';
import { useSandbox } from '../../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../helpers/service-env';

interface ErrorBody {
  error: {
    code: string;
    message: string;
    parameter?: string;
    idempotencyKey?: string;
    subaccountSid?: string;
    provisioning?: { missing: string[]; reason: string };
  };
}

interface SubaccountBody {
  subaccount: {
    sid: string;
    status: string;
    numbers: { sid: string; phoneNumber: string }[];
    provisioning: { missing: string[]; reason: string } | null;
  };
}

const sandbox = useSandbox();
let env: Record<string, string>;
let main: ReturnType<ReturnType<typeof sandbox>['seed']>;

beforeEach(() => {
  main = sandbox().seed();
  env = serviceEnv({
    ACCOUNT_SID: main.accountSid,
    AUTH_TOKEN: main.authToken,
    TWILIO_API_BASE_URL: sandbox().baseUrl,
  });
});

const call = (handler: typeof create, body: Record<string, unknown>) =>
  invokeFunction(handler, { env, body, headers: { authorization: `Bearer ${adminKeyOf(env)}` } });

const subaccounts = () =>
  sandbox().state.accounts.filter((account) => account.ownerAccountSid === main.accountSid);

/** A number of the main account that Twilio moves only to an account with an Address. */
const numberNeedingAddress = () =>
  sandbox().addPhoneNumber(main.accountSid, { addressRequirements: 'local' });

describe('create checks the number before it creates anything', () => {
  it.each([
    [
      'an area code whose numbers all need an Address',
      { areaCode: '212' },
      400,
      'address_required',
      'addressSid',
    ],
    ['a country with no number on offer', { isoCountry: 'GB' }, 409, 'no_number_available', 'isoCountry'],
    [
      'a number not in the main account',
      { phoneNumberSid: `PN${'0'.repeat(32)}` },
      400,
      'invalid_parameter',
      'phoneNumberSid',
    ],
  ])('refuses %s with nothing made', async (_case, number, status, code, parameter) => {
    const answer = await call(create, { friendlyName: 'Acme', idempotencyKey: 'acme-refused', ...number });
    expect(answer.statusCode).toBe(status);
    expect(answer.json<ErrorBody>().error).toMatchObject({ code, parameter });
    expect(subaccounts()).toEqual([]);
    expect(sandbox().state.syncMapItems).toEqual([]);
    // The key is free again: the same key with a number that can be had creates the subaccount.
    const retried = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-refused',
      areaCode: '415',
    });
    expect(retried.statusCode).toBe(201);
  });

  it('refuses to move a number that needs an Address without addressSid, naming what Twilio requires', async () => {
    const number = numberNeedingAddress();
    const answer = await call(create, { friendlyName: 'Acme', phoneNumberSid: number.sid });
    expect(answer.statusCode).toBe(400);
    expect(answer.json<ErrorBody>().error).toMatchObject({
      code: 'address_required',
      addressRequirements: 'local',
    });
    expect(subaccounts()).toEqual([]);
  });

  it('buys a number that needs an Address with the addressSid given, sent to Twilio as AddressSid', async () => {
    const address = sandbox().addAddress(main.accountSid);
    const answer = await call(create, { friendlyName: 'Acme', areaCode: '212', addressSid: address.sid });
    expect(answer.statusCode).toBe(201);
    const [bought] = answer.json<SubaccountBody>().subaccount.numbers;
    expect(bought?.phoneNumber).toMatch(/^\+1212/);
    const onTwilio = sandbox().state.incomingPhoneNumbers.find((number) => number.sid === bought?.sid);
    expect(onTwilio?.addressSid).toBe(address.sid);
  });
});

describe('a create that cannot get its number', () => {
  /** Twilio refuses the move: the subaccount has no Address on file (21613), whatever addressSid says. */
  async function stoppedCreate() {
    const number = numberNeedingAddress();
    const address = sandbox().addAddress(main.accountSid);
    const answer = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-stopped',
      phoneNumberSid: number.sid,
      addressSid: address.sid,
    });
    return { answer, number, address, error: answer.json<ErrorBody>().error };
  }

  it('answers the subaccount, what is missing and why, and the key that finishes it', async () => {
    const { answer, error } = await stoppedCreate();
    expect(answer.statusCode).toBe(409);
    expect(error).toMatchObject({
      code: 'subaccount_incomplete',
      idempotencyKey: 'acme-stopped',
      subaccountSid: subaccounts()[0]?.sid,
      provisioning: { missing: ['number'], reason: expect.stringContaining('21613') },
    });
    expect(error.message).toContain('retry with the same idempotencyKey');
  });

  it('leaves it provisioning where list, get and check see it, with the reason', async () => {
    const { error } = await stoppedCreate();
    const sid = error.subaccountSid;
    const listed = await call(list, { status: 'provisioning' });
    expect(listed.json<{ subaccounts: SubaccountBody['subaccount'][] }>().subaccounts).toEqual([
      expect.objectContaining({ sid, status: 'provisioning', provisioning: error.provisioning }),
    ]);
    const got = await call(get, { subaccountSid: sid });
    expect(got.json<SubaccountBody>().subaccount).toMatchObject({ status: 'provisioning' });
    const checked = await call(check, { subaccountSid: sid });
    expect(checked.json<{ drift: { code: string; message: string }[] }>().drift).toEqual([
      expect.objectContaining({
        code: 'provisioning_unfinished',
        message: expect.stringContaining('acme-stopped'),
      }),
    ]);
    const suspended = await call(suspend, { subaccountSid: sid });
    expect(suspended.statusCode).toBe(409);
    expect(suspended.json<ErrorBody>().error.code).toBe('subaccount_provisioning');
  });

  it('is finished by a retry with the same key and a corrected number, never a second subaccount', async () => {
    const { error } = await stoppedCreate();
    const otherName = await call(create, {
      friendlyName: 'Other',
      idempotencyKey: 'acme-stopped',
      areaCode: '415',
    });
    expect(otherName.statusCode).toBe(409);
    expect(otherName.json<ErrorBody>().error.code).toBe('idempotency_key_reused');

    const finished = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-stopped',
      areaCode: '415',
    });
    expect(finished.statusCode).toBe(201);
    expect(finished.json<SubaccountBody>().subaccount).toMatchObject({
      sid: error.subaccountSid,
      status: 'active',
      provisioning: null,
      numbers: [expect.objectContaining({ phoneNumber: expect.stringMatching(/^\+1415/) })],
    });
    expect(subaccounts()).toHaveLength(1);

    // Finished: the same request replays; other number parameters no longer may.
    const replayed = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-stopped',
      areaCode: '415',
    });
    expect(replayed.statusCode).toBe(200);
    const changed = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-stopped',
      areaCode: '212',
    });
    expect(changed.statusCode).toBe(409);
    expect(changed.json<ErrorBody>().error.code).toBe('idempotency_key_reused');
  });

  it('is finished by moving the number in with numbers/transfer once the subaccount has an Address', async () => {
    const { error, number } = await stoppedCreate();
    const sid = error.subaccountSid ?? '';
    sandbox().addAddress(sid);
    const moved = await call(transfer, { phoneNumberSid: number.sid, toAccountSid: sid });
    expect(moved.statusCode).toBe(200);
    const got = await call(get, { subaccountSid: sid });
    expect(got.json<SubaccountBody>().subaccount).toMatchObject({
      status: 'active',
      provisioning: null,
      numbers: [expect.objectContaining({ sid: number.sid })],
    });
  });

  it('can be closed instead, and a later retry of its create answers it closed', async () => {
    const { error, number, address } = await stoppedCreate();
    const sid = error.subaccountSid;
    const closed = await call(close, { subaccountSid: sid, confirm: sid });
    expect(closed.statusCode).toBe(200);
    expect(subaccounts()[0]?.status).toBe('closed');
    const retried = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-stopped',
      phoneNumberSid: number.sid,
      addressSid: address.sid,
    });
    expect(retried.statusCode).toBe(200);
    expect(retried.json<SubaccountBody>().subaccount).toMatchObject({ status: 'closed', provisioning: null });
  });

  it('a purchase that fails after the subaccount exists leaves it provisioning, and the retry buys', async () => {
    sandbox().failRequest(1, '500', { match: { method: 'POST', path: /\/IncomingPhoneNumbers\.json$/ } });
    const failed = await call(create, { friendlyName: 'Acme', idempotencyKey: 'acme-buy', areaCode: '415' });
    expect(failed.statusCode).toBe(502);
    expect(failed.json<ErrorBody>().error).toMatchObject({
      code: 'subaccount_incomplete',
      provisioning: { missing: ['number'], reason: expect.stringContaining('Buying') },
    });
    const finished = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-buy',
      areaCode: '415',
    });
    expect(finished.statusCode).toBe(201);
    expect(subaccounts()).toHaveLength(1);
    expect(
      sandbox().state.incomingPhoneNumbers.filter((n) => n.accountSid === subaccounts()[0]?.sid),
    ).toHaveLength(1);
  });

  it('a finishing retry without addressSid uses the one Address of the subaccount that fits', async () => {
    sandbox().failRequest(1, '500', { match: { method: 'POST', path: /\/IncomingPhoneNumbers\.json$/ } });
    const failed = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-derive',
      areaCode: '415',
    });
    const sid = failed.json<ErrorBody>().error.subaccountSid ?? '';
    // The caller puts an Address in the new subaccount, then asks for a number that needs one.
    const address = sandbox().addAddress(sid);
    const finished = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-derive',
      areaCode: '212',
    });
    expect(finished.statusCode).toBe(201);
    const [bought] = finished.json<SubaccountBody>().subaccount.numbers;
    expect(bought?.phoneNumber).toMatch(/^\+1212/);
    const onTwilio = sandbox().state.incomingPhoneNumbers.find((number) => number.sid === bought?.sid);
    expect(onTwilio?.addressSid).toBe(address.sid);
  });
});
