/**
 * Property-based evidence for the voice webhooks (/voice, /voice/dial-status, /voice/recording-status,
 * /voice/call-status),
 * in-process against one sandbox: thousands of hostile requests (wrong types, huge and unicode text,
 * arrays, nested objects, prototype keys, forged signatures and headers) get a 403 JSON error and no
 * TwiML, whatever account they name, never show a stack trace or a secret, and change nothing;
 * requests genuinely signed by a tenant, whatever their parameters, always get well-formed TwiML.
 */
import crypto, { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startSandbox, type Sandbox } from '../../sandbox';
import { handler as voice } from '../../src/functions/voice';
import { handler as dialStatus } from '../../src/functions/voice/dial-status';
import { handler as recordingStatus } from '../../src/functions/voice/recording-status';
import { handler as callStatus } from '../../src/functions/voice/call-status';
import { KNOWN_TENANTS_REFRESH_MS } from '../../src/registry/known-tenants';
import { APOLOGY } from '../../src/voice/twiml';
import { MAX_WEBHOOK_CHARS, MAX_WEBHOOK_PARAMS } from '../../src/webhooks/webhook-params';
import { invokeFunction, type FunctionAnswer } from '../../testkit/function-runtime';
import {
  provisionTenant,
  sandboxEnv,
  updateTenantRecord,
  type ProvisionedTenant,
} from '../../testkit/provision-tenant';
import { serviceEnv } from '../../testkit/service-env';
import { charsOf, paddedTo } from '../../testkit/padded-params';
import { propertyRuns } from '../helpers/property-runs';
import { callParams, signedWebhookCall } from '../../testkit/signed-webhook';
import { twimlOf, verbsOf } from '../../testkit/twiml';
import {
  answerText,
  anyHeaderValue,
  anyText,
  anyValue,
  captureServiceOutput,
  expectNoSecret,
  expectNoStackTrace,
  expectSandboxSound,
  garbageBody,
  secretsOf,
  PROTOTYPE_KEY_NAMES,
  sandboxMark,
} from './public-endpoint-checks';

// Thousands of generated requests per suite: bounded work, but slow on 2 busy cores; the default 30 s
// per test would turn a loaded machine into a failure.
jest.setTimeout(240_000);

const BASE = 'https://voice.example.com';
/**
 * Requests per webhook, hostile and genuinely signed: `npm test` draws a share of each from a fixed seed
 * (enough that every webhook's signed requests still reach each of its answer shapes, which the test
 * asserts), `npm run load:fuzz` all of them (property-runs.ts).
 */
const HOSTILE_RUNS = propertyRuns({ quick: 120, full: 600 });
const SIGNED_RUNS = propertyRuns({ quick: 200, full: 800 });

/** Every parameter the voice webhooks read, and a few more Twilio sends. */
const KNOWN = [
  'AccountSid',
  'From',
  'To',
  'CallerId',
  'CallSid',
  'Direction',
  'DialCallStatus',
  'RecordingSid',
  'RecordingStatus',
  'RecordingDuration',
  'RecordingUrl',
  'ErrorCode',
];

const WEBHOOKS = [
  // answerShapes: how many different verb sequences genuine requests can get (routing outcomes).
  { path: '/voice', handler: voice, servesSuspended: false, answerShapes: 3 },
  { path: '/voice/dial-status', handler: dialStatus, servesSuspended: true, answerShapes: 2 },
  { path: '/voice/recording-status', handler: recordingStatus, servesSuspended: true, answerShapes: 1 },
  { path: '/voice/call-status', handler: callStatus, servesSuspended: true, answerShapes: 1 },
] as const;

let sandbox: Sandbox;
let env: Record<string, string>;
let tenant: ProvisionedTenant;
let suspended: ProvisionedTenant;
let secrets: Record<string, string>;
let output: ReturnType<typeof captureServiceOutput>;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: BASE }));
  tenant = await provisionTenant(sandbox, env, { numbers: 2, record: { recording: true } });
  suspended = await provisionTenant(sandbox, env, { record: { status: 'suspended' } });
  await updateTenantRecord(env, tenant, { inboundRouting: { [tenant.numbers[0] as string]: ['alice'] } });
  secrets = secretsOf(env, [tenant, suspended]);
  output = captureServiceOutput();
});

afterAll(async () => {
  output.stop();
  await sandbox.close();
});

afterEach(() => expectSandboxSound(sandbox));

/** The answer is well-formed TwiML (parsed by a real XML parser, root <Response>) or a 403 JSON error. */
function expectTwimlOr403(answer: FunctionAnswer): 'twiml' | '403' {
  if (answer.statusCode === 403) {
    expect(String(answer.headers['Content-Type'])).toMatch(/^application\/json/);
    expect(answer.json()).toEqual({ error: { code: 'invalid_signature', message: expect.any(String) } });
    return '403';
  }
  expect(answer.statusCode).toBe(200);
  expect(String(answer.headers['Content-Type'])).toMatch(/^text\/xml/);
  twimlOf(answer.text);
  return 'twiml';
}

function expectClean(answer: FunctionAnswer, where: string) {
  const text = answerText(answer);
  expectNoSecret(text, secrets, where);
  expectNoStackTrace(text, where);
}

const randomAccountSid = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .map((bytes) => `AC${Buffer.from(bytes).toString('hex')}`);

/**
 * Extra header names. Names of Object.prototype members are left out: Twilio's own runtime (constructEvent)
 * throws on them before any service code runs, under twilio-run and so in these in-process calls too.
 */
const headerName = fc
  .string({ minLength: 1, maxLength: 10 })
  .filter((name) => !(name.toLowerCase() in Object.prototype));

/** A `request` entry in the body, which the runtime's event merge lets override the real headers. */
const injectedRequest = fc.record({
  headers: fc.dictionary(fc.constantFrom('x-twilio-signature', 'authorization', 'origin'), anyValue, {
    noNullPrototype: true,
  }),
});

/** The text parameters of a body: what a forger could sign. */
function textParamsOf(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

describe('hostile requests that Twilio did not sign', () => {
  /**
   * A request naming an AccountSid that is not ours waits for the next directory listing, at most one
   * per KNOWN_TENANTS_REFRESH_MS (src/registry/known-tenants.ts). Here each generated request arrives
   * that long after the one before, as on a line sending one a second: the clock is moved instead of
   * waited for, so none of them waits, and each one naming an unknown SID still has its listing made
   * and read. Only `Date` is faked: timers, and so the HTTP requests to the sandbox, run as usual.
   */
  beforeAll(() =>
    jest.useFakeTimers({
      now: Date.now(),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    }),
  );
  afterAll(() => jest.useRealTimers());
  const nextArrival = () => jest.setSystemTime(Date.now() + KNOWN_TENANTS_REFRESH_MS);

  it.each(WEBHOOKS)('$path refuses with 403, shows nothing, changes nothing', async (webhook) => {
    const accountSid = fc.oneof(
      fc.constantFrom(tenant.sid, suspended.sid, env.ACCOUNT_SID as string),
      randomAccountSid,
      anyValue,
    );
    // Garbage, a signature made with the wrong token, or one made with the right token for other content.
    const signature = fc.oneof(
      fc.constant(undefined),
      anyHeaderValue,
      fc.constant('wrong-token'),
      fc.constant('other-content'),
    );
    const named = { ours: 0, notOurs: 0, notText: 0 };
    await fc.assert(
      fc.asyncProperty(
        accountSid,
        garbageBody(KNOWN),
        signature,
        fc.option(injectedRequest, { freq: 8 }),
        fc.dictionary(headerName, anyHeaderValue, { maxKeys: 3 }),
        fc.oneof(fc.constant(webhook.path), fc.constantFrom('/', '/voice/../admin', ''), fc.string()),
        async (sid, garbage, signatureKind, injected, extraHeaders, path) => {
          const body: Record<string, unknown> = { ...garbage, AccountSid: sid };
          if (typeof sid !== 'string') named.notText += 1;
          else if ([tenant.sid, suspended.sid, env.ACCOUNT_SID].includes(sid)) named.ours += 1;
          else named.notOurs += 1;
          if (injected) body.request = injected;
          const headers: Record<string, string> = { ...extraHeaders };
          delete headers['x-twilio-signature'];
          if (signatureKind === 'wrong-token' || signatureKind === 'other-content') {
            const token =
              signatureKind === 'wrong-token' ? randomBytes(16).toString('hex') : tenant.authToken;
            const posted = textParamsOf(body);
            const signed = signatureKind === 'wrong-token' ? posted : { ...posted, Extra: 'x' };
            headers['X-Twilio-Signature'] = getExpectedTwilioSignature(token, BASE + webhook.path, signed);
          } else if (signatureKind !== undefined) headers['X-Twilio-Signature'] = signatureKind;

          nextArrival();
          const mark = sandboxMark(sandbox);
          const answer = await invokeFunction(webhook.handler, { env, path, body, headers });
          // The signature is checked before the account's status or routing is looked at, and an
          // account that is not ours has no token to check it with: a request Twilio did not sign is
          // refused with 403 whatever account it names, and never gets TwiML (not even <Reject/>).
          expect(expectTwimlOr403(answer)).toBe('403');
          expectClean(answer, `${webhook.path} answer`);
          mark.expectNothingChanged(`${webhook.path} refused request`);
        },
      ),
      HOSTILE_RUNS,
    );
    // Whatever the count drawn, the requests named our accounts, others and no account at all.
    expect(Object.values(named).every((count) => count > 0)).toBe(true);
  });
});

/** Text where Twilio puts a number, a client, a status: plausible values mixed with garbage. */
const twilioText = fc.oneof(
  anyText,
  fc.constantFrom(
    'client:alice',
    'client:bob',
    'alice',
    '+14155550199',
    '+442071838750',
    '+1 (415) 555-0100',
  ),
  fc.constantFrom('no-answer', 'busy', 'failed', 'completed', 'canceled', 'absent', 'RE0123'),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((text) => `client:${text}`),
  fc.stringMatching(/^\+[0-9]{1,20}$/),
);

/** Posted parameters Twilio could sign: text. `__proto__` and `request` cannot be posted. */
const signableParams = fc
  .dictionary(
    fc.oneof(fc.constantFrom(...KNOWN.filter((name) => name !== 'AccountSid')), fc.string({ maxLength: 12 })),
    twilioText,
    { maxKeys: 8, noNullPrototype: true },
  )
  .map(
    (params) =>
      Object.fromEntries(
        Object.entries(params).filter(([name]) => !['__proto__', 'request', 'AccountSid'].includes(name)),
      ) as Record<string, string>,
  );

it('refuses with 403 a body field `request` that replaces the headers with a non-text signature', async () => {
  // The runtime merges the body over its own `request` entry; a JSON body can put any value there.
  for (const signature of [true, 5, ['x'], { a: 1 }, null]) {
    const body = {
      ...callParams({ accountSid: tenant.sid, from: 'client:alice', to: '+14155550199' }),
      request: { headers: { 'x-twilio-signature': signature } },
    };
    const answer = await invokeFunction(voice, { env, path: '/voice', body });
    expect(answer.statusCode).toBe(403);
  }
});

/** Whether parameters are within the caps of webhook-params.ts (names and values, in characters). */
const withinCaps = (params: Record<string, string>) =>
  Object.keys(params).length <= MAX_WEBHOOK_PARAMS && charsOf(params) <= MAX_WEBHOOK_CHARS;

describe('requests genuinely signed by the account they name, with garbage parameters', () => {
  it.each(WEBHOOKS)(
    '$path answers well-formed TwiML within the caps (403 past them), never the error apology',
    async (webhook) => {
      const signer = fc.constantFrom(
        { sid: () => tenant.sid, token: () => tenant.authToken, served: true },
        { sid: () => env.ACCOUNT_SID as string, token: () => env.AUTH_TOKEN as string, served: true },
        { sid: () => suspended.sid, token: () => suspended.authToken, served: webhook.servesSuspended },
      );
      const verbs = new Set<string>();
      await fc.assert(
        fc.asyncProperty(signer, signableParams, async (account, garbage) => {
          const params = {
            ...callParams({ accountSid: account.sid(), from: 'client:alice', to: 'bob' }),
            ...garbage,
          };
          const mark = sandboxMark(sandbox);
          const answer = await invokeFunction(
            webhook.handler,
            signedWebhookCall({ env, path: webhook.path, params, authToken: account.token() }),
          );
          // A huge generated value can take a request past the character cap: refused like a forgery.
          expect(expectTwimlOr403(answer)).toBe(withinCaps(params) ? 'twiml' : '403');
          expectClean(answer, `${webhook.path} answer`);
          mark.expectNothingChanged(`${webhook.path} signed request`);
          if (answer.statusCode === 403) return;
          const twiml = twimlOf(answer.text);
          expect(answer.text).not.toContain(APOLOGY);
          if (!account.served) expect(verbsOf(answer.text)).toEqual(['Reject']);
          verbs.add(twiml.children.map((verb) => verb.name).join(','));
        }),
        SIGNED_RUNS,
      );
      // The garbage reached the routing code: several different answers came out, not one refusal.
      expect(verbs.size).toBeGreaterThanOrEqual(webhook.answerShapes);
    },
  );

  it('keeps a prototype key among signed parameters harmless (constructor, prototype)', async () => {
    for (const name of PROTOTYPE_KEY_NAMES.filter((key) => key !== '__proto__')) {
      const params = {
        ...callParams({ accountSid: tenant.sid, from: 'client:alice', to: '+14155550199' }),
        [name]: 'x',
      };
      const answer = await invokeFunction(
        voice,
        signedWebhookCall({ env, path: '/voice', params, authToken: tenant.authToken }),
      );
      expect(verbsOf(answer.text)).toEqual(['Dial>Number']);
    }
  });
});

/**
 * Genuinely signed requests around the caps: a parameter count and a total size drawn from below to
 * past MAX_WEBHOOK_PARAMS and MAX_WEBHOOK_CHARS, sometimes one parameter repeated (in the body or on
 * the query), sometimes a forged signature. Only a request within both caps, with no repeated
 * parameter and a genuine signature, is answered with routing TwiML; every other one gets 403, and
 * none costs more than the two HMACs a forgery may (the work a request can cause, counted rather than
 * timed: a wall-clock bound per request would measure the machine's load as much as the service).
 */
describe('requests up to and past the caps', () => {
  const REPEAT_WHERE = ['nowhere', 'body', 'query'] as const;

  it('/voice routes exactly the genuine requests within the caps and refuses the rest cheaply', async () => {
    const counts = { routed: 0, refused: 0 };
    const hmacSpy = jest.spyOn(crypto, 'createHmac');
    const sha1Hmacs = () => hmacSpy.mock.calls.filter(([algorithm]) => algorithm === 'sha1').length;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: MAX_WEBHOOK_PARAMS - 20, max: MAX_WEBHOOK_PARAMS + 20 }),
        fc.integer({ min: MAX_WEBHOOK_CHARS - 2_000, max: MAX_WEBHOOK_CHARS + 2_000 }),
        // Mostly well-formed and genuine, so that both sides of the caps see plenty of each.
        fc.oneof(
          { weight: 4, arbitrary: fc.constant(REPEAT_WHERE[0]) },
          { weight: 1, arbitrary: fc.constantFrom(...REPEAT_WHERE.slice(1)) },
        ),
        fc.integer({ min: 0, max: 3 }).map((draw) => draw === 0),
        async (count, chars, repeated, forged) => {
          const call = callParams({ accountSid: tenant.sid, from: 'client:alice', to: '+14155550199' });
          const params = paddedTo(call, count, chars);
          const signedCall = signedWebhookCall({
            env,
            path: '/voice',
            params,
            authToken: forged ? randomBytes(16).toString('hex') : tenant.authToken,
          });
          const body: Record<string, unknown> = { ...signedCall.body };
          let query: Record<string, unknown> = {};
          if (repeated === 'body') body.CallerName = ['Zoë', 'Zoë'];
          if (repeated === 'query') query = { Tag: ['a', 'b'] };
          const hmacsBefore = sha1Hmacs();
          const answer = await invokeFunction(voice, { ...signedCall, body, query });
          const hmacs = sha1Hmacs() - hmacsBefore;
          const routable = !forged && repeated === 'nowhere' && withinCaps(params);
          if (routable) {
            expect(verbsOf(answer.text)).toEqual(['Dial>Number']);
            counts.routed += 1;
          } else {
            expect(expectTwimlOr403(answer)).toBe('403');
            counts.refused += 1;
          }
          // Past a cap or repeated: refused before any HMAC.
          expect(hmacs).toBeLessThanOrEqual(withinCaps(params) && repeated === 'nowhere' ? 2 : 0);
        },
      ),
      { numRuns: 300 },
    );
    hmacSpy.mockRestore();
    // Both sides of the caps were exercised.
    expect(counts.routed).toBeGreaterThan(10);
    expect(counts.refused).toBeGreaterThan(10);
  });
});

describe('what the service printed during all of the above', () => {
  it('has no secret and no stack trace, and was captured at all', () => {
    expect(output.lineCount()).toBeGreaterThan(0);
    expectNoSecret(output.text(), secrets, 'the service output');
    expectNoStackTrace(output.text(), 'the service output');
  });
});
