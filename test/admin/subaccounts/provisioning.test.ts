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
import type { Address } from '../../../sandbox';
import { adminDeps } from '../../../src/admin/deps';
import { loadConfig } from '../../../src/config/config';
import { invokeFunction } from '../../../testkit/function-runtime';
import { useSandbox } from '../../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../../testkit/service-env';

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

  it.each([
    ['a moved number', () => ({ phoneNumberSid: numberNeedingAddress().sid })],
    [
      'a number to buy',
      () => {
        sandbox().addAvailableNumber({ areaCode: '646', addressRequirements: 'local' });
        return { areaCode: '646' };
      },
    ],
  ])(
    'refuses an Address that does not fit %s (local, in the US) with nothing made',
    async (_case, number) => {
      const abroad = sandbox().addAddress(main.accountSid, 'DE');
      const answer = await call(create, { friendlyName: 'Acme', addressSid: abroad.sid, ...number() });
      expect(answer.statusCode).toBe(400);
      expect(answer.json<ErrorBody>().error).toMatchObject({
        code: 'address_not_compliant',
        parameter: 'addressSid',
        requirement: 'local',
        isoCountry: 'US',
      });
      expect(subaccounts()).toEqual([]);
      expect(sandbox().state.addresses).toEqual([abroad]);
      expect(sandbox().state.syncMapItems).toEqual([]);
    },
  );

  it('refuses an addressSid that is no Address of the main account with nothing made', async () => {
    const answer = await call(create, {
      friendlyName: 'Acme',
      areaCode: '212',
      addressSid: `AD${'0'.repeat(32)}`,
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json<ErrorBody>().error).toMatchObject({
      code: 'address_not_compliant',
      parameter: 'addressSid',
    });
    expect(subaccounts()).toEqual([]);
  });
});

/** The fields an Address is filed with, as Twilio answers them (its SID, account and dates aside). */
const filed = ({ sid: _sid, accountSid: _account, dateCreated: _date, ...fields }: Address) => fields;

const addressesOf = (accountSid: string | undefined) =>
  sandbox().state.addresses.filter((address) => address.accountSid === accountSid);

const onTwilio = (numberSid: string | undefined) =>
  sandbox().state.incomingPhoneNumbers.find((number) => number.sid === numberSid);

describe('an Address of the main account, for a number that needs one', () => {
  it('is copied into the new subaccount, and the number bought there with the copy', async () => {
    const original = sandbox().addAddress(main.accountSid);
    const answer = await call(create, { friendlyName: 'Acme', areaCode: '212', addressSid: original.sid });
    expect(answer.statusCode).toBe(201);
    const { sid, numbers } = answer.json<SubaccountBody>().subaccount;
    expect(numbers[0]?.phoneNumber).toMatch(/^\+1212/);
    const [copy, ...more] = addressesOf(sid);
    expect(more).toEqual([]);
    expect(copy && filed(copy)).toEqual(filed(original));
    expect(onTwilio(numbers[0]?.sid)).toMatchObject({ accountSid: sid, addressSid: copy?.sid });
    // The original stays where it was.
    expect(addressesOf(main.accountSid)).toEqual([original]);
  });

  it('is copied for a moved number too, which moves with the copy', async () => {
    const number = numberNeedingAddress();
    const original = sandbox().addAddress(main.accountSid);
    const answer = await call(create, {
      friendlyName: 'Acme',
      phoneNumberSid: number.sid,
      addressSid: original.sid,
    });
    expect(answer.statusCode).toBe(201);
    const { sid } = answer.json<SubaccountBody>().subaccount;
    const [copy] = addressesOf(sid);
    expect(copy && filed(copy)).toEqual(filed(original));
    expect(onTwilio(number.sid)).toMatchObject({ accountSid: sid, addressSid: copy?.sid });
  });

  /** The first attempt copies the Address, then Twilio fails the move (a 500). */
  async function moveFailedAfterCopy(idempotencyKey: string) {
    const number = numberNeedingAddress();
    const original = sandbox().addAddress(main.accountSid);
    failMove(number.sid);
    const failed = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey,
      phoneNumberSid: number.sid,
      addressSid: original.sid,
    });
    expect(failed.statusCode).toBe(502);
    const sid = failed.json<ErrorBody>().error.subaccountSid;
    expect(addressesOf(sid)).toHaveLength(1);
    return { number, original, sid };
  }

  it('is copied once: a finishing retry with the same addressSid uses the copy the first attempt made', async () => {
    const { number, original, sid } = await moveFailedAfterCopy('acme-copy-once');
    const finished = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-copy-once',
      phoneNumberSid: number.sid,
      addressSid: original.sid,
    });
    expect(finished.statusCode).toBe(201);
    const [copy, ...more] = addressesOf(sid);
    expect(more).toEqual([]);
    expect(onTwilio(number.sid)).toMatchObject({ accountSid: sid, addressSid: copy?.sid });
  });

  it('a finishing retry may name the copy in the subaccount, used as it is', async () => {
    const { number, sid } = await moveFailedAfterCopy('acme-copy-named');
    const [copy] = addressesOf(sid);
    const finished = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-copy-named',
      phoneNumberSid: number.sid,
      addressSid: copy?.sid,
    });
    expect(finished.statusCode).toBe(201);
    expect(addressesOf(sid)).toEqual([copy]);
    expect(onTwilio(number.sid)).toMatchObject({ accountSid: sid, addressSid: copy?.sid });
  });
});

/** Twilio fails the next move of `numberSid` with a 500. */
const failMove = (numberSid: string) =>
  sandbox().failRequest(1, '500', {
    match: { method: 'POST', path: new RegExp(`/IncomingPhoneNumbers/${numberSid}\\.json$`) },
  });

/** Takes the subaccount's operation record for `operation`, as a call of it at work holds it. */
async function holdSubaccount(sid: string, operation: string) {
  const { operations, registry } = adminDeps(loadConfig(env));
  const read = await registry.getWithOperation(sid);
  const scope = { subaccountSid: sid };
  const held = read.operation && operations.parse(scope, read.operation);
  return operations.take(scope, { operation, key: 'another-call', payloadHash: 'a'.repeat(64) }, held);
}

describe('a create that cannot get its number', () => {
  /** Twilio fails the move (a 500) of a number that needs an Address, once the Address is copied. */
  async function stoppedCreate() {
    const number = numberNeedingAddress();
    const address = sandbox().addAddress(main.accountSid);
    failMove(number.sid);
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
    expect(answer.statusCode).toBe(502);
    expect(error).toMatchObject({
      code: 'subaccount_incomplete',
      idempotencyKey: 'acme-stopped',
      subaccountSid: subaccounts()[0]?.sid,
      provisioning: { missing: ['number'], reason: expect.stringContaining('Moving') },
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

  it('is finished by moving the number in with numbers/transfer, with the Address the create copied', async () => {
    const { error, number } = await stoppedCreate();
    const sid = error.subaccountSid ?? '';
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

  it('cannot be closed while its create is still at work (the create holds its key), and can be after', async () => {
    const { error } = await stoppedCreate();
    const sid = error.subaccountSid ?? '';
    // As while a create call with this key is running: it holds the subaccount's operation record.
    const running = await holdSubaccount(sid, 'create');
    const refused = await call(close, { subaccountSid: sid, confirm: sid });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<ErrorBody>().error).toMatchObject({ code: 'subaccount_busy', operation: 'create' });
    expect(subaccounts()[0]?.status).toBe('active');

    await running.giveUp(false);
    expect((await call(close, { subaccountSid: sid, confirm: sid })).statusCode).toBe(200);
  });

  it('is not finished while another change holds the subaccount: the retry answers busy and changes nothing', async () => {
    const { error, number, address } = await stoppedCreate();
    const sid = error.subaccountSid ?? '';
    await holdSubaccount(sid, 'close');
    const retried = await call(create, {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-stopped',
      phoneNumberSid: number.sid,
      addressSid: address.sid,
    });
    expect(retried.statusCode).toBe(409);
    expect(retried.json<ErrorBody>().error).toMatchObject({ code: 'subaccount_busy', operation: 'close' });
    expect(sandbox().state.incomingPhoneNumbers.find((held) => held.sid === number.sid)?.accountSid).toBe(
      main.accountSid,
    );
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
