/**
 * Every admin function, in-process against one sandbox, fed thousands of generated requests: wrong
 * types, huge and unicode strings, arrays and nested objects where strings are expected, missing and
 * extra fields, prototype-pollution keys at any depth, garbage Authorization headers. Whatever comes in:
 * never a 5xx, never a stack trace or a file path, 4xx always `{ error: { code, message } }`, no secret
 * in any answer or log line, a refused request changes nothing on Twilio, and a 400 to a caller holding
 * a valid admin key names the parameter. fast-check prints the seed and the shrunk input of a failure.
 */
import fc from 'fast-check';
import type { Sandbox } from '../../sandbox';
import { OPERATIONS_MAP } from '../../src/admin/operations/store';
import { handler as health } from '../../src/functions/admin/health';
import { handler as listNumbers } from '../../src/functions/admin/numbers/list';
import { handler as transfer } from '../../src/functions/admin/numbers/transfer';
import { handler as addAddress } from '../../src/functions/admin/addresses/create';
import { handler as adopt } from '../../src/functions/admin/subaccounts/adopt';
import { handler as check } from '../../src/functions/admin/subaccounts/check';
import { handler as close } from '../../src/functions/admin/subaccounts/close';
import { handler as create } from '../../src/functions/admin/subaccounts/create';
import { handler as get } from '../../src/functions/admin/subaccounts/get';
import { handler as list } from '../../src/functions/admin/subaccounts/list';
import { handler as reactivate } from '../../src/functions/admin/subaccounts/reactivate';
import { handler as rotateKey } from '../../src/functions/admin/subaccounts/rotate-key';
import { handler as suspend } from '../../src/functions/admin/subaccounts/suspend';
import { handler as update } from '../../src/functions/admin/subaccounts/update';
import { handler as usage } from '../../src/functions/admin/usage';
import { handler as listCalls } from '../../src/functions/admin/calls/list';
import { handler as deleteRecording } from '../../src/functions/admin/recordings/delete';
import { handler as getRecording } from '../../src/functions/admin/recordings/get';
import { handler as listRecordings } from '../../src/functions/admin/recordings/list';
import type { FunctionHandler } from '../../src/http/json-function';
import { OPERATION_ITEM, tenantMapName } from '../../src/registry/layout';
import { startAdminFixture } from '../helpers/admin-fixture';
import { invokeFunction } from '../../testkit/function-runtime';
import { propertyRuns } from '../helpers/property-runs';
import { refusalState } from '../helpers/refusal-state';
import { adminKeyOf } from '../../testkit/service-env';
import { captureServiceOutput, expectNoStackTrace, showsPartOf } from './public-endpoint-checks';

// Thousands of generated requests per suite: bounded work, but slow on 2 busy cores; the default 30 s
// per test would turn a loaded machine into a failure.
jest.setTimeout(240_000);

/** Generated requests per function: a fixed-seed share in `npm test`, all in `npm run load:fuzz` (property-runs.ts). */
const RUNS_PER_FUNCTION = propertyRuns({ quick: 60, full: 160 });

let sandbox: Sandbox;
let env: Record<string, string>;
let sub: string;
let mainNumber: { sid: string; phoneNumber: string };

/** Everything the service prints (console and debug lines) while the generated requests run. */
let output: ReturnType<typeof captureServiceOutput>;
const summary: string[] = [];

beforeAll(async () => {
  ({ sandbox, env, subaccountSid: sub, mainNumber } = await startAdminFixture());
  // Hundreds of generated calls a second on one subaccount are a fuzzer's pace, not a person's: past
  // Sync's 20 writes a second per object they could only end in 503s (twilio_rate_limited), which say
  // nothing about input handling. The rate limit has its own tests; every other Twilio rule stays on.
  sandbox.setLimits({ syncRateLimits: false });
  output = captureServiceOutput();
});

afterAll(async () => {
  output.stop();
  console.log(`Generated admin requests: answers by status\n${summary.join('\n')}`);
  await sandbox.close();
});

/** Every secret the service or the sandbox holds: none may appear in an answer or a log line. */
function secrets(): string[] {
  return [
    env.AUTH_TOKEN,
    adminKeyOf(env),
    env.TOKEN_TICKET_SECRET,
    env.REGISTRY_ENCRYPTION_KEY,
    Buffer.from(env.REGISTRY_ENCRYPTION_KEY ?? '', 'hex').toString('base64'),
    ...sandbox.state.accounts.map((account) => account.authToken),
    ...sandbox.state.keys.map((key) => key.secret),
  ].filter((secret): secret is string => Boolean(secret));
}

const twilioState = () => refusalState(sandbox);

/**
 * Writes a refused request made. A create refused after it took its idempotency key's operation record
 * withdraws it (two writes to the `operations` Map, no item left), and a lifecycle change refused while
 * it held its subaccount's operation record gives it back (created then deleted, or put back as it was):
 * those are the writes a refusal may make, and `twilioState` shows that none of them left anything
 * behind (refusal-state.ts).
 */
const isLeaseWrite = (request: { method: string; path: string }) =>
  request.path.endsWith(`/Items/${OPERATION_ITEM}`) ||
  (request.method === 'POST' &&
    new RegExp(`/Maps/${tenantMapName('AC[0-9a-f]{32}')}/Items$`).test(request.path));
const writesSince = (start: number) =>
  sandbox.log
    .slice(start)
    .filter(
      (request) =>
        request.method !== 'GET' &&
        !request.path.includes(`/Maps/${OPERATIONS_MAP}/`) &&
        !isLeaseWrite(request),
    );

const PARAMETER_NAMES = [
  'subaccountSid',
  'friendlyName',
  'phoneNumberSid',
  'toAccountSid',
  'fromAccountSid',
  'accountSid',
  'idempotencyKey',
  'confirm',
  'areaCode',
  'isoCountry',
  'messagingService',
  'recording',
  'allowedCountries',
  'blockedNumberTypes',
  'callerId',
  'inboundRouting',
  'status',
  'name',
  'pageSize',
  'cursor',
  'repair',
  'releaseNumbers',
  'startDate',
  'endDate',
  'recordingSid',
  'callSid',
  'kind',
  'direction',
  'recordingRetentionDays',
];
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

const key = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...PARAMETER_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...POLLUTION_KEYS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

/** Values that get past the first checks now and then, so deeper code runs too. */
const plausible = () =>
  fc.constantFrom(
    sub,
    `AC${'0'.repeat(32)}`,
    env.ACCOUNT_SID ?? '',
    mainNumber.sid,
    mainNumber.phoneNumber,
    `PN${'1'.repeat(32)}`,
    'true',
    'false',
    '+1',
    '+1,+44',
    '415',
    'US',
    'active',
    '2026-01-01',
    '2026-01-31',
    '10',
    'Acme',
    'a-long-enough-key',
    `RE${'2'.repeat(32)}`,
    'voicemail',
  );

const value = () =>
  fc.oneof(
    { weight: 3, arbitrary: plausible() },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 3000, maxLength: 20_000 }) },
    { weight: 1, arbitrary: fc.array(fc.oneof(plausible(), fc.string()), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.object({ key, maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.anything({ key, maxDepth: 2 }) },
  );

/** A request's parameters: own properties, so `__proto__` is a real key as it would be in parsed JSON. */
const parameters = () =>
  fc.array(fc.tuple(key, value()), { maxLength: 6 }).map((entries) => Object.fromEntries(entries));

const authorization = () =>
  fc.oneof(
    { weight: 24, arbitrary: fc.constant(`Bearer ${adminKeyOf(env)}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`) },
    { weight: 1, arbitrary: fc.constant(`Basic ${adminKeyOf(env)}`) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${adminKeyOf(env)}x`) },
    { weight: 1, arbitrary: fc.constant(`bearer  ${adminKeyOf(env)} ${adminKeyOf(env)}`) },
    { weight: 1, arbitrary: fc.string({ minLength: 5000, maxLength: 9000 }).map((s) => `Bearer ${s}`) },
  );

/** A valid request with up to three of its fields replaced, dropped or joined by others. */
const mutated = (valid: () => Record<string, unknown>) =>
  fc.array(fc.tuple(key, fc.option(value(), { nil: undefined })), { maxLength: 3 }).map((changes) => {
    const parameters = new Map(Object.entries(valid()));
    for (const [name, changed] of changes) {
      if (changed === undefined) parameters.delete(name);
      else parameters.set(name, changed);
    }
    // Object.fromEntries defines own properties, so `__proto__` stays a key as in parsed JSON.
    return Object.fromEntries(parameters);
  });

const request = (valid: () => Record<string, unknown>) =>
  fc.record({
    body: fc.oneof(mutated(valid), parameters()),
    query: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: parameters() }),
    authorization: authorization(),
  });

/** Each function with a request it accepts: the generator mutates it, so checks deep inside run too. */
const functions: [string, FunctionHandler, () => Record<string, unknown>][] = [
  ['health', health, () => ({})],
  ['subaccounts/create', create, () => ({ friendlyName: 'New' })],
  ['subaccounts/list', list, () => ({ status: 'active', pageSize: '10' })],
  ['subaccounts/get', get, () => ({ subaccountSid: sub })],
  [
    'subaccounts/update',
    update,
    () => ({
      subaccountSid: sub,
      friendlyName: 'Renamed',
      allowedCountries: 'US,CA',
      blockedNumberTypes: 'premium_rate,unknown',
    }),
  ],
  ['subaccounts/suspend', suspend, () => ({ subaccountSid: sub })],
  ['subaccounts/reactivate', reactivate, () => ({ subaccountSid: sub })],
  [
    'subaccounts/close',
    close,
    () => ({ subaccountSid: `AC${'0'.repeat(32)}`, confirm: `AC${'0'.repeat(32)}` }),
  ],
  ['subaccounts/rotate-key', rotateKey, () => ({ subaccountSid: sub })],
  ['subaccounts/check', check, () => ({ subaccountSid: sub, repair: 'true' })],
  ['subaccounts/adopt', adopt, () => ({ subaccountSid: sub, dryRun: 'true' })],
  ['numbers/list', listNumbers, () => ({ accountSid: sub })],
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
  ['usage', usage, () => ({ subaccountSid: sub, startDate: '2026-01-01', endDate: '2026-01-31' })],
  [
    'recordings/list',
    listRecordings,
    () => ({ subaccountSid: sub, kind: 'voicemail', startDate: '2026-01-01' }),
  ],
  ['recordings/get', getRecording, () => ({ subaccountSid: sub, recordingSid: `RE${'2'.repeat(32)}` })],
  ['recordings/delete', deleteRecording, () => ({ subaccountSid: sub, recordingSid: `RE${'2'.repeat(32)}` })],
  ['calls/list', listCalls, () => ({ subaccountSid: sub, status: 'completed', direction: 'inbound' })],
];

describe.each(functions)('admin/%s with generated requests', (name, handler, valid) => {
  it('answers 2xx or a clear 4xx, leaks nothing, and changes nothing when it refuses', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request(valid), async ({ body, query, authorization }) => {
        const before = twilioState();
        const requestsBefore = sandbox.log.length;
        const printedBefore = output.lineCount();
        const answer = await invokeFunction(handler, {
          env,
          body,
          query,
          headers: authorization === undefined ? {} : { authorization },
        });
        statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
        const shown = `${answer.text}\n${output.textSince(printedBefore)}`;

        expect(answer.statusCode).toBeLessThan(500);
        expectNoStackTrace(shown, `admin/${name}'s answer or log`);
        for (const secret of secrets()) {
          if (showsPartOf(shown, secret)) throw new Error(`admin/${name} showed (part of) a secret`);
        }
        if (answer.statusCode < 400) return;

        const { error } = answer.json<{ error: { code: unknown; message: unknown; parameter?: unknown } }>();
        expect(typeof error.code).toBe('string');
        expect(typeof error.message).toBe('string');
        expect(twilioState()).toBe(before);
        expect(writesSince(requestsBefore)).toEqual([]);
        if (authorization !== `Bearer ${adminKeyOf(env)}`) {
          expect(answer.statusCode).toBe(401);
          expect(sandbox.log.length).toBe(requestsBefore);
        } else if (answer.statusCode === 400) {
          expect(typeof error.parameter).toBe('string');
          expect(error.message).toContain(String(error.parameter).split('.')[0]);
        }
      }),
      RUNS_PER_FUNCTION,
    );
    const counts = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
    summary.push(`${name.padEnd(24)}${counts.join(', ')}`);
    // The generated requests get past the checks too (answered, or refused by Twilio-side facts), and
    // every function with parameters refuses some as 400.
    expect([...statuses.keys()].some((status) => status < 300 || status === 404 || status === 409)).toBe(
      true,
    );
    if (name !== 'health') expect(statuses.get(400)).toBeGreaterThan(0);
  });
});
