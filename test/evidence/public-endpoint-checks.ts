/**
 * What every answer of a public endpoint (/voice and its callbacks, /token) must never show, and the
 * generators of hostile input the property tests throw at them. Shared by the voice and token suites.
 */
import { formatWithOptions } from 'node:util';
import path from 'node:path';
import createDebug from 'debug';
import fc from 'fast-check';
import type { Sandbox } from '../../sandbox';
import type { FunctionAnswer } from '../../testkit/function-runtime';
import type { ProvisionedTenant } from '../../testkit/provision-tenant';

const repoRoot = path.resolve(__dirname, '../..');

/** Signs of an internal error shown to the caller: a stack frame, a source file, the server's paths. */
const LEAK_PATTERNS: readonly RegExp[] = [
  /\n\s+at\s/,
  /\bat\s+\S+\s+\(.*:\d+:\d+\)/,
  /\.(?:ts|js|mjs|cjs):\d+/,
  /node_modules/,
];

/** Every secret of the service and of its tenants, by role: none may show in an answer or a log. */
export function secretsOf(
  env: Record<string, string>,
  tenants: readonly ProvisionedTenant[],
): Record<string, string> {
  return {
    'main auth token': env.AUTH_TOKEN ?? '',
    'admin keys': env.ADMIN_API_KEYS ?? '',
    'ticket secret': env.TOKEN_TICKET_SECRET ?? '',
    'registry key': env.REGISTRY_ENCRYPTION_KEY ?? '',
    ...Object.fromEntries(
      tenants.flatMap((tenant) => [
        [`auth token of ${tenant.sid}`, tenant.authToken],
        [`API key secret of ${tenant.sid}`, tenant.apiKeySecret],
      ]),
    ),
  };
}

/** After each test: the sandbox saw only requests Twilio's OpenAPI description allows; no prototype polluted. */
export function expectSandboxSound(sandbox: Sandbox): void {
  expect(sandbox.specViolations()).toEqual([]);
  expectPrototypesClean();
}

/**
 * The shortest run of a secret's characters that counts as showing it. Shorter runs of random hex
 * turn up by chance in the SIDs answers are full of (12 hex characters: about one chance in 3 x 10^14
 * per place), so a shorter leak is caught by its form instead: a few characters at either end of a
 * secret set off by a mask (`…cdef`, `abcd...`, `****cdef`), as health reports used to show them.
 */
export const SECRET_RUN = 12;
const MASK = String.raw`(?:…|\.{2,}|\*+)`;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `text` shows any part of `secret`: the whole, any SECRET_RUN of it, or a masked end. */
export function showsPartOf(text: string, secret: string): boolean {
  // A list of secrets (several admin keys) is checked key by key.
  const parts = secret.split(',').filter((part) => part.length > 0);
  return parts.some((part) => {
    if (text.includes(part)) return true;
    const runs = new Set<string>();
    for (let i = 0; i + SECRET_RUN <= part.length; i++) runs.add(part.slice(i, i + SECRET_RUN));
    for (const run of runs) if (text.includes(run)) return true;
    const [head, tail] = [escapeRegExp(part.slice(0, 4)), escapeRegExp(part.slice(-4))];
    return new RegExp(`${MASK}${tail}(?![0-9A-Za-z])|(?<![0-9A-Za-z])${head}${MASK}`).test(text);
  });
}

/** Fails naming the secret's role (never the secret itself) when `text` shows any part of a secret. */
export function expectNoSecret(text: string, secrets: Record<string, string>, where: string): void {
  for (const [role, secret] of Object.entries(secrets)) {
    if (secret && showsPartOf(text, secret)) throw new Error(`${where} shows (part of) the ${role}`);
  }
}

export function expectNoStackTrace(text: string, where: string): void {
  if (text.includes(repoRoot))
    throw new Error(`${where} contains a server file path:\n${text.slice(0, 500)}`);
  for (const pattern of LEAK_PATTERNS) {
    if (pattern.test(text)) throw new Error(`${where} looks like a stack trace:\n${text.slice(0, 500)}`);
  }
}

/** The whole answer as a caller sees it: status, headers and body. */
export function answerText(answer: FunctionAnswer): string {
  return `${answer.statusCode}\n${JSON.stringify(answer.headers)}\n${answer.text}`;
}

/**
 * Everything the service prints while a suite runs: console output and every `debug` namespace of the
 * service, turned on, so a secret in a debug line would be caught too. `stop()` restores both.
 */
export function captureServiceOutput() {
  const lines: string[] = [];
  const record = (...args: unknown[]) => lines.push(formatWithOptions({ colors: false }, ...args));
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation(record),
  );
  const previousNamespaces = createDebug.disable();
  const previousLog = createDebug.log;
  createDebug.log = record;
  createDebug.enable('voice-service:*');
  return {
    text: () => lines.join('\n'),
    lineCount: () => lines.length,
    /** What was printed after the first `count` lines (take `lineCount()` before a request). */
    textSince: (count: number) => lines.slice(count).join('\n'),
    stop() {
      for (const spy of spies) spy.mockRestore();
      createDebug.log = previousLog;
      createDebug.disable();
      if (previousNamespaces) createDebug.enable(previousNamespaces);
    },
  };
}

/**
 * A fingerprint of everything the sandbox holds and of the requests that changed it, taken around a
 * request: a refused request must leave the state as it was and send Twilio nothing but reads.
 */
export function sandboxMark(sandbox: Sandbox) {
  const state = JSON.stringify(sandbox.state);
  const logged = sandbox.log.length;
  return {
    expectNothingChanged(where: string) {
      const writes = sandbox.log.slice(logged).filter((request) => request.method !== 'GET');
      if (writes.length > 0) {
        throw new Error(`${where} sent ${writes.map((w) => `${w.method} ${w.path}`).join(', ')}`);
      }
      if (JSON.stringify(sandbox.state) !== state) throw new Error(`${where} changed the sandbox state`);
    },
  };
}

/** Object.prototype as it should stay: any key added to it means a request polluted the prototype. */
export function expectPrototypesClean(): void {
  const polluted = Object.getOwnPropertyNames(Object.prototype).filter((name) => !PROTOTYPE_KEYS.has(name));
  if (polluted.length > 0) throw new Error(`Object.prototype gained ${polluted.join(', ')}`);
}
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

// ---- generators of hostile input ----

/** Names that reach an object's prototype when copied carelessly. */
export const PROTOTYPE_KEY_NAMES = ['__proto__', 'constructor', 'prototype'] as const;

/** Text of every kind: ASCII, full unicode (astral planes, lone surrogates), control characters, huge. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', '\u0000', '\uD800', '<Response/>', ']]>', '&amp;', '%00'),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 10_000, max: 300_000 }), fc.constantFrom('a', 'é', '😀', '<', '+1'))
      .map(([length, unit]) => unit.repeat(length)),
  },
);

/** A value where text is expected, or anything else a JSON or form body can carry. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: anyText },
  { weight: 2, arbitrary: fc.array(anyText, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  {
    weight: 2,
    arbitrary: fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        anyText,
        fc.array(tie('tree'), { maxLength: 3 }),
        fc.dictionary(parameterName(), tie('tree'), { maxKeys: 3, noNullPrototype: true }),
      ),
    })).tree,
  },
);

/** Parameter names: the ones the endpoints read, prototype keys, the runtime's own `request`, anything. */
export function parameterName(known: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    ...(known.length > 0 ? [fc.constantFrom(...known)] : []),
    fc.constantFrom(...PROTOTYPE_KEY_NAMES, 'request', 'toString', 'hasOwnProperty', '0', ''),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
  );
}

/** A body of garbage parameters (own `__proto__` keys included, as a JSON body would give them). */
export function garbageBody(known: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(parameterName(known), anyValue, { maxKeys: 8, noNullPrototype: true });
}

/** A header value as a caller might send it: absent, empty, random, Base64-looking, huge. */
export const anyHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 60 }),
  fc.base64String({ minLength: 28, maxLength: 28 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer({ min: 10_000, max: 100_000 }).map((length) => 'A'.repeat(length)),
);
