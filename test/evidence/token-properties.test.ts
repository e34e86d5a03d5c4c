/**
 * Property-based evidence for POST /token, in-process against one sandbox: tickets with random claims,
 * algorithms and secrets, garbage bodies and headers, random Origins. A token comes back only for a
 * valid ticket of an active subaccount, for exactly its identity and subaccount; everything else gets a
 * 4xx JSON error, never a 5xx, a stack trace or a secret (the ticket included), and changes nothing.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { startSandbox, verifyVoiceToken, type Sandbox } from '../../sandbox';
import { handler as token } from '../../src/functions/token';
import { invokeFunction, type FunctionAnswer } from '../../testkit/function-runtime';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { serviceEnv } from '../../testkit/service-env';
import { propertyRuns } from '../helpers/property-runs';
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
  sandboxMark,
} from './public-endpoint-checks';

// Thousands of generated requests per suite: bounded work, but slow on 2 busy cores; the default 30 s
// per test would turn a loaded machine into a failure.
jest.setTimeout(240_000);

const APP_ORIGIN = 'https://app.example.com';
/** Generated requests: a fixed-seed share in `npm test`, all in `npm run load:fuzz` (property-runs.ts). */
const HOSTILE_RUNS = propertyRuns({ quick: 500, full: 1500 });
const VALID_RUNS = propertyRuns({ quick: 200, full: 600 });

let sandbox: Sandbox;
let env: Record<string, string>;
let tenant: ProvisionedTenant;
let suspended: ProvisionedTenant;
let closed: ProvisionedTenant;
let secrets: Record<string, string>;
let output: ReturnType<typeof captureServiceOutput>;
/** The signature part of every ticket sent: none may appear in anything the service printed. */
const ticketSignatures = new Set<string>();

beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox, serviceEnv({ ALLOWED_ORIGINS: APP_ORIGIN }));
  tenant = await provisionTenant(sandbox, env);
  suspended = await provisionTenant(sandbox, env, { record: { status: 'suspended' } });
  closed = await provisionTenant(sandbox, env, { record: { status: 'closed' } });
  secrets = secretsOf(env, [tenant, suspended, closed]);
  output = captureServiceOutput();
});

afterAll(async () => {
  output.stop();
  await sandbox.close();
});

afterEach(() => expectSandboxSound(sandbox));

const nowSeconds = () => Math.floor(Date.now() / 1000);

const ticketSecret = () => env.TOKEN_TICKET_SECRET as string;
const HMAC_OF = new Map([
  ['HS256', 'sha256'],
  ['HS384', 'sha384'],
  ['HS512', 'sha512'],
]);

/**
 * A JWT written by hand, so that any header and claims can be sent (a JWT library refuses to sign
 * malformed claims). Signed with HMAC for the header's alg, or with HS256 when the alg names anything
 * else (the algorithm-confusion attack); `alg: none` gets no signature.
 */
function jwtOf(header: Record<string, unknown>, payload: unknown, secret: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url');
  const input = `${part(header)}.${part(payload)}`;
  const signature =
    header.alg === 'none'
      ? ''
      : createHmac(HMAC_OF.get(String(header.alg)) ?? 'sha256', secret)
          .update(input)
          .digest('base64url');
  if (signature) ticketSignatures.add(signature);
  return `${input}.${signature}`;
}

const validIdentity = fc.stringMatching(/^[A-Za-z0-9_]{1,121}$/);

/** Claims of a valid ticket for the active tenant: an identity, an expiry within the next 24 h. */
const validClaims = fc
  .record({ sub: validIdentity, expiresIn: fc.integer({ min: 60, max: 86_000 }) })
  .map(({ sub, expiresIn }) => ({ sub, acct: tenant.sid, exp: nowSeconds() + expiresIn }));

const anyAlg = fc.oneof(
  fc.constantFrom('HS256', 'HS384', 'HS512', 'none', 'RS256', 'ES256', 'hs256', ''),
  anyText,
);

/** A ticket that must be refused, for one reason or another (built once the tenants exist). */
const invalidTicket = (): fc.Arbitrary<string> =>
  fc.oneof(
    // Garbage where a JWT should be.
    anyText,
    fc.constantFrom('', 'Bearer', 'eyJ', 'a.b.c', 'eyJhbGciOiJIUzI1NiJ9..', '...'),
    // Valid claims signed with another secret.
    validClaims.map((claims) => jwtOf({ alg: 'HS256', typ: 'JWT' }, claims, randomBytes(32).toString('hex'))),
    // Valid claims with the right secret, but any algorithm other than HS256 (none included).
    fc
      .tuple(
        validClaims,
        anyAlg.filter((alg) => alg !== 'HS256'),
      )
      .map(([claims, alg]) => jwtOf({ alg, typ: 'JWT' }, claims, ticketSecret())),
    // HS256 with the right secret, but at least one claim wrong.
    fc
      .record({
        sub: fc.oneof(validIdentity, anyValue),
        acct: fc.oneof(
          fc.constantFrom(suspended.sid, closed.sid, env.ACCOUNT_SID as string),
          fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => `AC${Buffer.from(b).toString('hex')}`),
          anyValue,
        ),
        exp: fc.oneof(
          fc.integer({ min: -(10 ** 9), max: -60 }).map((offset) => nowSeconds() + offset),
          fc.integer({ min: 25 * 3600, max: 10 ** 9 }).map((offset) => nowSeconds() + offset),
          anyValue,
        ),
        nbf: fc.option(fc.integer({ min: 3600, max: 10 ** 6 }).map((offset) => nowSeconds() + offset)),
      })
      .map((claims) => jwtOf({ alg: 'HS256', typ: 'JWT' }, claims, ticketSecret())),
    // Any payload at all, signed right: a string, an array, a number, an object of garbage.
    anyValue.map((payload) => jwtOf({ alg: 'HS256', typ: 'JWT' }, payload, ticketSecret())),
    // A valid ticket with one character of its claims changed (never the last one, which may carry only
    // padding bits that a base64url decoder ignores).
    fc.tuple(validClaims, fc.nat()).map(([claims, at]) => {
      const [header, payload, signature] = jwtOf({ alg: 'HS256', typ: 'JWT' }, claims, ticketSecret()).split(
        '.',
      ) as [string, string, string];
      const i = at % (payload.length - 1);
      const changed = payload.slice(0, i) + (payload[i] === 'A' ? 'B' : 'A') + payload.slice(i + 1);
      return `${header}.${changed}.${signature}`;
    }),
  );

const origin = fc.oneof(
  fc.constant(undefined),
  fc.constant(APP_ORIGIN),
  fc.webUrl().map((url) => new URL(url).origin),
  anyHeaderValue,
);

function expectJsonError(answer: FunctionAnswer) {
  expect(answer.statusCode).toBeGreaterThanOrEqual(400);
  expect(answer.statusCode).toBeLessThan(500);
  expect(String(answer.headers['Content-Type'])).toMatch(/^application\/json/);
  expect(answer.json()).toEqual({
    error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
  });
}

function expectClean(answer: FunctionAnswer, ticket: string) {
  const text = answerText(answer);
  expectNoSecret(text, secrets, '/token answer');
  // The ticket is the caller's own text, checked whole: its JWT header is the header of every token
  // answered, so parts of it are everywhere. A short garbage "ticket" (a letter, a space) is in any
  // message by chance; real tickets are long.
  if (ticket.length >= 20 && text.includes(ticket)) throw new Error('/token answer contains the ticket');
  expectNoStackTrace(text, '/token answer');
}

it('refuses every invalid ticket, garbage body or header with a 4xx JSON error, showing and changing nothing', async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      invalidTicket(),
      fc.constantFrom('bearer', 'body', 'both'),
      garbageBody(['ticket', 'ttl', 'identity', 'accountSid']),
      origin,
      fc.option(fc.record({ headers: fc.dictionary(fc.constantFrom('authorization', 'origin'), anyValue) }), {
        freq: 8,
      }),
      async (ticket, where, garbage, requestOrigin, injected) => {
        const headers: Record<string, string> = {};
        if (where !== 'body') headers.Authorization = `Bearer ${ticket}`;
        if (requestOrigin !== undefined) headers.Origin = requestOrigin;
        const body: Record<string, unknown> = { ...garbage };
        if (where !== 'bearer') body.ticket = ticket;
        if (injected) body.request = injected;
        const mark = sandboxMark(sandbox);
        const answer = await invokeFunction(token, { env, path: '/token', body, headers });
        statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
        expectJsonError(answer);
        expectClean(answer, ticket);
        mark.expectNothingChanged('/token refused request');
      },
    ),
    HOSTILE_RUNS,
  );
  // Several kinds of refusal were reached: bad parameters (400), bad tickets (401), origins and accounts (403).
  expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 401, 403]));
});

it('answers a valid ticket with a token for exactly its identity and subaccount, whatever else is sent', async () => {
  await fc.assert(
    fc.asyncProperty(
      validClaims,
      fc.oneof(fc.constant({ alg: 'HS256' }), fc.constant({ alg: 'HS256', typ: 'JWT' })),
      // Extra claims, prototype keys among them, do not matter to a ticket.
      fc.dictionary(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'admin', 'iss', 'aud'),
        fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null)),
        {
          maxKeys: 3,
          noNullPrototype: true,
        },
      ),
      fc.option(fc.integer({ min: 20, max: 86_400 })),
      fc.constantFrom(undefined, APP_ORIGIN),
      async (claims, header, extraClaims, ttl, requestOrigin) => {
        const ticket = jwtOf(header, { ...extraClaims, ...claims }, ticketSecret());
        const headers: Record<string, string> = { Authorization: `Bearer ${ticket}` };
        if (requestOrigin) headers.Origin = requestOrigin;
        const body: Record<string, unknown> = ttl === null ? {} : { ttl: String(ttl) };
        const mark = sandboxMark(sandbox);
        const answer = await invokeFunction(token, { env, path: '/token', body, headers });
        expect(answer.statusCode).toBe(200);
        const issued = answer.json<{ token: string; identity: string; accountSid: string; ttl: number }>();
        expect(issued).toMatchObject({ identity: claims.sub, accountSid: tenant.sid, ttl: ttl ?? 3600 });
        // The sandbox checks the token as Twilio would: the subaccount's own key, its own TwiML App.
        expect(verifyVoiceToken(sandbox.state, issued.token)).toMatchObject({
          accountSid: tenant.sid,
          identity: claims.sub,
          applicationSid: tenant.twimlAppSid,
        });
        if (requestOrigin) expect(answer.headers['Access-Control-Allow-Origin']).toBe(APP_ORIGIN);
        expectClean(answer, ticket);
        mark.expectNothingChanged('/token');
      },
    ),
    VALID_RUNS,
  );
});

it('printed no secret, no ticket and no stack trace during all of the above', () => {
  const text = output.text();
  expectNoSecret(text, secrets, 'the service output');
  expectNoStackTrace(text, 'the service output');
  const printed = text.match(/[A-Za-z0-9_-]{40,}/g) ?? [];
  expect(printed.filter((run) => ticketSignatures.has(run))).toEqual([]);
  expect(ticketSignatures.size).toBeGreaterThan(HOSTILE_RUNS.numRuns / 4);
});
