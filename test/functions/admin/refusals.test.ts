/**
 * Every admin function, in-process against the sandbox: a missing or wrong admin key gets 401 and a bad
 * parameter a 400 naming it; either way Twilio's state (the sandbox, registry included) is unchanged.
 */
import type { Sandbox } from '../../../sandbox';
import type { FunctionHandler } from '../../../src/http/json-function';
import { handler as create } from '../../../src/functions/admin/subaccounts/create';
import { handler as list } from '../../../src/functions/admin/subaccounts/list';
import { handler as get } from '../../../src/functions/admin/subaccounts/get';
import { handler as update } from '../../../src/functions/admin/subaccounts/update';
import { handler as suspend } from '../../../src/functions/admin/subaccounts/suspend';
import { handler as reactivate } from '../../../src/functions/admin/subaccounts/reactivate';
import { handler as close } from '../../../src/functions/admin/subaccounts/close';
import { handler as rotateKey } from '../../../src/functions/admin/subaccounts/rotate-key';
import { handler as check } from '../../../src/functions/admin/subaccounts/check';
import { handler as listNumbers } from '../../../src/functions/admin/numbers/list';
import { handler as transfer } from '../../../src/functions/admin/numbers/transfer';
import { handler as addAddress } from '../../../src/functions/admin/addresses/create';
import { handler as usage } from '../../../src/functions/admin/usage';
import { adminRoutes } from '../../../src/admin/routes';
import { parameterNames } from '../../../src/http/parameter-names';
import { startAdminFixture } from '../../helpers/admin-fixture';
import { invokeFunction } from '../../../testkit/function-runtime';
import { refusalState } from '../../helpers/refusal-state';
import { adminKeyOf } from '../../../testkit/service-env';

let sandbox: Sandbox;
let env: Record<string, string>;
let sub: string;
let mainNumber: { sid: string; phoneNumber: string };
const unknownSid = `AC${'0'.repeat(32)}`;

beforeAll(async () => {
  ({ sandbox, env, subaccountSid: sub, mainNumber } = await startAdminFixture());
});

afterAll(() => sandbox.close());

function call(
  handler: FunctionHandler,
  body: Record<string, unknown>,
  authorization = `Bearer ${adminKeyOf(env)}`,
  extraHeaders: Record<string, string> = {},
) {
  return invokeFunction(handler, {
    env,
    body,
    headers: { ...(authorization ? { authorization } : {}), ...extraHeaders },
  });
}

const functions: [string, FunctionHandler, () => Record<string, unknown>][] = [
  ['create', create, () => ({ friendlyName: 'New', idempotencyKey: 'new-create-1' })],
  ['list', list, () => ({})],
  ['get', get, () => ({ subaccountSid: sub })],
  ['update', update, () => ({ subaccountSid: sub, friendlyName: 'Renamed' })],
  ['suspend', suspend, () => ({ subaccountSid: sub })],
  ['reactivate', reactivate, () => ({ subaccountSid: sub })],
  ['close', close, () => ({ subaccountSid: sub, confirm: sub })],
  ['rotate-key', rotateKey, () => ({ subaccountSid: sub })],
  ['check', check, () => ({ subaccountSid: sub, repair: true })],
  ['numbers/list', listNumbers, () => ({})],
  ['numbers/transfer', transfer, () => ({ phoneNumberSid: mainNumber.sid, toAccountSid: sub })],
  [
    'addresses/create',
    addAddress,
    () => ({
      accountSid: sub,
      customerName: 'Acme',
      street: '1 Main St',
      city: 'Springfield',
      region: 'OR',
      postalCode: '97477',
      isoCountry: 'US',
    }),
  ],
  ['usage', usage, () => ({ startDate: '2026-01-01', endDate: '2026-01-31' })],
];

/** The sandbox's whole state: what "changes nothing" is checked on (refusal-state.ts). */
const state = () => refusalState(sandbox);
const snapshot = () => ({ state: state(), requests: sandbox.log.length });

describe.each(functions)('admin/%s', (_name, handler, valid) => {
  it.each([
    ['no Authorization header', () => ''],
    ['a wrong admin key', () => `Bearer ${'x'.repeat(48)}`],
    ['the right key in another scheme', () => `Basic ${adminKeyOf(env)}`],
  ])('refuses %s with 401 before any Twilio request', async (_case, authorization) => {
    const before = snapshot();
    const answer = await call(handler, valid(), authorization());
    expect(answer.statusCode).toBe(401);
    expect(answer.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(snapshot()).toEqual(before);
  });

  it.each([
    ['a page of another origin', 'https://attacker.example'],
    ['a sandboxed frame or file page (Origin: null)', 'null'],
    ['an origin that only differs in scheme from our own', 'http://voice.example.com'],
  ])(
    'refuses %s with 403 origin_not_allowed, even with the right key, before any Twilio request',
    async (_case, origin) => {
      const before = snapshot();
      const answer = await call(handler, valid(), `Bearer ${adminKeyOf(env)}`, { origin });
      expect(answer.statusCode).toBe(403);
      expect(answer.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });
      // No CORS header: the page may not even read the refusal.
      expect(answer.headers['Access-Control-Allow-Origin']).toBeUndefined();
      expect(snapshot()).toEqual(before);
    },
  );
});

describe('Origin of admin requests', () => {
  it("checks the Origin before the admin key: a foreign page learns nothing about a key's validity", async () => {
    const answer = await call(list, {}, `Bearer ${'x'.repeat(48)}`, { origin: 'https://attacker.example' });
    expect(answer.statusCode).toBe(403);
    expect(answer.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });
  });

  it("answers the service's own origin (the console), ADMIN_ALLOWED_ORIGINS and requests without Origin", async () => {
    const ops = 'https://ops.example.com';
    const opsEnv = { ...env, ADMIN_ALLOWED_ORIGINS: ops };
    const headers = (origin?: string) => ({
      authorization: `Bearer ${adminKeyOf(env)}`,
      ...(origin ? { origin } : {}),
    });
    for (const origin of [new URL(env.PUBLIC_BASE_URL as string).origin, ops, undefined]) {
      const answer = await invokeFunction(list, { env: opsEnv, body: {}, headers: headers(origin) });
      expect(answer.statusCode).toBe(200);
    }
    // Without ADMIN_ALLOWED_ORIGINS that origin is a stranger again.
    const refused = await invokeFunction(list, { env, body: {}, headers: headers(ops) });
    expect(refused.statusCode).toBe(403);
  });
});

const badParameters: [string, FunctionHandler, () => Record<string, unknown>, string][] = [
  ['create without a name', create, () => ({ idempotencyKey: 'bad-create-1' }), 'friendlyName'],
  [
    'create with a short idempotency key',
    create,
    () => ({ friendlyName: 'X', idempotencyKey: 'k' }),
    'idempotencyKey',
  ],
  [
    'create with a number not in the main account',
    create,
    () => ({ friendlyName: 'X', idempotencyKey: 'bad-create-2', phoneNumberSid: `PN${'1'.repeat(32)}` }),
    'phoneNumberSid',
  ],
  [
    'create with both a number and an area code',
    create,
    () => ({ friendlyName: 'X', phoneNumberSid: mainNumber.sid, areaCode: '415' }),
    'phoneNumberSid',
  ],
  ['list with an unknown status', list, () => ({ status: 'sleeping' }), 'status'],
  ['list with a page size of 0', list, () => ({ pageSize: '0' }), 'pageSize'],
  ['get with a malformed SID', get, () => ({ subaccountSid: 'AC123' }), 'subaccountSid'],
  ['update with nothing to change', update, () => ({ subaccountSid: sub }), 'body'],
  [
    'update with a caller ID it does not own',
    update,
    () => ({ subaccountSid: sub, callerId: mainNumber.phoneNumber }),
    'callerId',
  ],
  [
    'update with a bad identity',
    update,
    () => ({ subaccountSid: sub, inboundRouting: { '+14155550199': ['no spaces'] } }),
    'inboundRouting.+14155550199.0',
  ],
  [
    'update with a country code that is not one',
    update,
    () => ({ subaccountSid: sub, allowedCountries: 'US,XX' }),
    'allowedCountries.1',
  ],
  [
    'update with a dialling prefix as a country',
    update,
    () => ({ subaccountSid: sub, allowedCountries: ['+1'] }),
    'allowedCountries.0',
  ],
  [
    'update with an unknown number type',
    update,
    () => ({ subaccountSid: sub, blockedNumberTypes: ['premium_rate', 'PremiumRate'] }),
    'blockedNumberTypes.1',
  ],
  [
    'create with a country code that is not one',
    create,
    () => ({ friendlyName: 'Guarded', idempotencyKey: 'guarded-1', allowedCountries: 'USA' }),
    'allowedCountries.0',
  ],
  [
    'create with an unknown number type',
    create,
    () => ({ friendlyName: 'Guarded', idempotencyKey: 'guarded-2', blockedNumberTypes: 'premium' }),
    'blockedNumberTypes.0',
  ],
  ['suspend without a SID', suspend, () => ({}), 'subaccountSid'],
  ['reactivate with a malformed SID', reactivate, () => ({ subaccountSid: 'nope' }), 'subaccountSid'],
  ['close without confirm', close, () => ({ subaccountSid: sub }), 'confirm'],
  [
    'close with another SID as confirm',
    close,
    () => ({ subaccountSid: sub, confirm: unknownSid }),
    'confirm',
  ],
  ['rotate-key with a malformed SID', rotateKey, () => ({ subaccountSid: 'AC' }), 'subaccountSid'],
  ['check with repair not a boolean', check, () => ({ subaccountSid: sub, repair: 'yes' }), 'repair'],
  ['numbers/list of an account not ours', listNumbers, () => ({ accountSid: unknownSid }), 'accountSid'],
  [
    'numbers/transfer to an account not ours',
    transfer,
    () => ({ phoneNumberSid: mainNumber.sid, toAccountSid: unknownSid }),
    'toAccountSid',
  ],
  [
    'numbers/transfer of a number it does not hold',
    transfer,
    () => ({ phoneNumberSid: mainNumber.sid, fromAccountSid: sub, toAccountSid: env.ACCOUNT_SID }),
    'phoneNumberSid',
  ],
  ['usage with a bad date', usage, () => ({ startDate: '2026-02-30', endDate: '2026-03-01' }), 'startDate'],
  [
    'usage with the range reversed',
    usage,
    () => ({ startDate: '2026-03-02', endDate: '2026-03-01' }),
    'endDate',
  ],
];

describe('bad parameters', () => {
  it.each(badParameters)(
    '%s: 400 naming the parameter, nothing changed',
    async (_case, handler, body, parameter) => {
      const before = state();
      const answer = await call(handler, body());
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ error: { code: 'invalid_parameter', parameter } });
      expect(answer.json<{ error: { message: string } }>().error.message).toContain(parameter.split('.')[0]);
      expect(state()).toBe(before);
    },
  );

  it('refuses an unknown subaccount with 404 and a reused idempotency key with 409', async () => {
    expect((await call(get, { subaccountSid: unknownSid })).statusCode).toBe(404);
    const reused = await call(create, { friendlyName: 'Something else', idempotencyKey: 'existing-1' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({
      error: { code: 'idempotency_key_reused', parameter: 'idempotencyKey' },
    });
  });
});

describe('unknown parameters', () => {
  it.each(functions)(
    '%s refuses a name it does not take with 400 unknown_parameter naming it, nothing changed',
    async (_name, handler, valid) => {
      const before = state();
      const answer = await call(handler, { ...valid(), colour: 'blue' });
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ error: { code: 'unknown_parameter', parameter: 'colour' } });
      expect(answer.json<{ error: { message: string } }>().error.message).toContain('`colour`');
      expect(state()).toBe(before);
    },
  );

  it.each([
    [
      'create',
      create,
      { friendlyName: 'X', messagingservice: 'true' },
      'messagingservice',
      'messagingService',
    ],
    ['create', create, { friendlyName: 'X', areacode: '415' }, 'areacode', 'areaCode'],
    ['list', list, { pagesize: '5' }, 'pagesize', 'pageSize'],
    ['update', update, { subaccountSid: sub, voiceMail: 'true' }, 'voiceMail', 'voicemail'],
  ])('%s names the parameter a typo most likely meant', async (_name, handler, body, parameter, meant) => {
    const answer = await call(handler, body);
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({
      error: { code: 'unknown_parameter', parameter, didYouMean: meant },
    });
    expect(answer.json<{ error: { message: string } }>().error.message).toContain(
      `did you mean \`${meant}\`?`,
    );
  });

  it('refuses the retired allowedPrefixes by name (the guard takes allowedCountries now)', async () => {
    const before = state();
    const answer = await call(update, { subaccountSid: sub, allowedPrefixes: '+1,+44' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({
      error: { code: 'unknown_parameter', parameter: 'allowedPrefixes' },
    });
    expect(answer.json<{ error: { message: string } }>().error.message).toContain('`allowedCountries`');
    expect(state()).toBe(before);
  });

  it('lists what a function takes when nothing is close (subaccountSid given to create)', async () => {
    const answer = await call(create, { friendlyName: 'X', subaccountSid: sub });
    expect(answer.json()).toMatchObject({ error: { code: 'unknown_parameter', parameter: 'subaccountSid' } });
    expect(answer.json<{ error: { message: string } }>().error.message).toContain('`friendlyName`');
    expect(answer.json<{ error: { didYouMean?: string } }>().error.didYouMean).toBeUndefined();
  });

  it('counts query parameters too, and never what the runtime adds (headers and cookies)', async () => {
    const viaQuery = await invokeFunction(list, {
      env,
      query: { pageSise: '5' },
      headers: { authorization: `Bearer ${adminKeyOf(env)}` },
    });
    expect(viaQuery.json()).toMatchObject({ error: { code: 'unknown_parameter', didYouMean: 'pageSize' } });
    const withCookies = await invokeFunction(list, {
      env,
      body: { pageSize: 5 },
      headers: { authorization: `Bearer ${adminKeyOf(env)}` },
      cookies: { session: 'x' },
    });
    expect(withCookies.statusCode).toBe(200);
  });

  it('knows the names of every route of the table, so routes added later are checked too', () => {
    for (const [path, route] of Object.entries(adminRoutes))
      expect([path, parameterNames(route.parameters)]).toEqual([path, expect.any(Array)]);
  });

  it('explains a missing parameter in words: what it is, not what zod received', async () => {
    const answer = await call(get, {});
    expect(answer.json<{ error: { message: string } }>().error.message).toBe(
      '`subaccountSid` is required: the SID of the subaccount ("AC" and 32 hex characters)',
    );
    const flagged = await call(update, { subaccountSid: sub, recording: 'yes' });
    expect(flagged.json<{ error: { message: string } }>().error.message).toBe(
      'recording: must be true or false',
    );
    const routing = await call(update, { subaccountSid: sub, inboundRouting: { 'garbage text': ['alice'] } });
    expect(routing.json()).toMatchObject({ error: { parameter: 'inboundRouting' } });
    expect(routing.json<{ error: { message: string } }>().error.message).toMatch(
      /^inboundRouting: the key `garbage text` must be an E\.164 number/,
    );
  });
});
