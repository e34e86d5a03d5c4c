/**
 * A tenant's first call on a new Functions instance: each built hot-path function started cold in
 * the Functions runtime's own function runner (`twilio` loaded first, as the runtime does:
 * testkit/cold-start.ts), against the sandbox. What its `require` and its first answer load is
 * counted (modules, not milliseconds): loading the function loads nothing but its own file, and the
 * first answer loads no package file but axios-retry's (the REST client's retry): no schema library,
 * none of twilio's REST domain modules (the Sync read goes through the client's own `request`,
 * registry/sync-reads.ts) and no libphonenumber-js package files. libphonenumber-js is in one file, the
 * private Function toll-fraud/phone-numbers, which only a call to a number loads (a /token, an inbound
 * call never do). `npm run bench cold-start` measures the time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startSandbox, type Sandbox } from '../../sandbox';
import { functionInputs } from '../../scripts/build-inputs';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { coldStart, packagesOf, type ColdStart } from '../../testkit/cold-start';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { serviceEnv } from '../../testkit/service-env';
import { callParams } from '../../testkit/signed-webhook';

jest.setTimeout(60_000);

const root = path.resolve(__dirname, '../..');
const BASE = 'https://voice.example.com';
const built = (file: string) => path.join(root, 'dist/functions', file);

/** What must never load on a hot path's cold start. */
const HEAVY = [
  /[\\/]node_modules[\\/]zod[\\/]/,
  /[\\/]node_modules[\\/]libphonenumber-js[\\/]/,
  /[\\/]twilio[\\/]lib[\\/]rest[\\/]/,
];

const heavyIn = (files: readonly string[]) =>
  files.filter((file) => HEAVY.some((pattern) => pattern.test(file)));

let sandbox: Sandbox;
let env: Record<string, string>;
let tenant: ProvisionedTenant;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: BASE, ALLOWED_ORIGINS: BASE }));
  tenant = await provisionTenant(sandbox, env, { authTokenInRegistry: true });
});

afterAll(() => sandbox.close());

function voiceCall(from: string, to: string): Promise<ColdStart> {
  const params = callParams({ accountSid: tenant.sid, from, to });
  const signature = getExpectedTwilioSignature(tenant.authToken, `${BASE}/voice`, params);
  return coldStart({
    functionPath: built('voice.js'),
    path: '/voice',
    url: BASE,
    env,
    event: { request: { headers: { 'x-twilio-signature': signature }, cookies: {} }, ...params },
  });
}

const PHONE_NUMBERS = 'dist/functions/toll-fraud/phone-numbers.private.js';

function expectLight(start: ColdStart, { classifiesANumber = false } = {}): void {
  expect(packagesOf(start.modules.atLoad)).toEqual({
    [path.relative(root, start.modules.atLoad[0] ?? '')]: 1,
  });
  expect(start.modules.atLoad[0]).toMatch(/dist[\\/]functions[\\/]/);
  expect(heavyIn(start.modules.byAnswer)).toEqual([]);
  // The first answer's only package files: the REST client's retry of a read lost on the network
  // (twilio/request-client.ts). Everything else it runs is the function's own file or `twilio`, and,
  // for a number to classify, the private Function that carries libphonenumber-js.
  expect(packagesOf(start.modules.byAnswer)).toEqual({
    'axios-retry': 1,
    'is-retry-allowed': 1,
    ...(classifiesANumber ? { [PHONE_NUMBERS]: 1 } : {}),
  });
}

describe('a cold start of a hot-path function', () => {
  it("/voice: a browser client's call to a number, answered with the Dial, loading nothing heavy", async () => {
    const start = await voiceCall('client:alice', '+14155550199');
    expect(start.body).toContain('<Number>+14155550199</Number>');
    expectLight(start, { classifiesANumber: true });
  });

  it("/voice: an inbound call to the tenant's number, answered, loading nothing heavy", async () => {
    const start = await voiceCall('+14155550100', tenant.numbers[0] ?? '');
    expect(start.body).toContain('<Response>');
    expect(start.body).not.toContain('<Reject');
    expectLight(start);
  });

  it('/token: a ticket answered with a Voice token, loading nothing heavy', async () => {
    const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: tenant.sid });
    const start = await coldStart({
      functionPath: built('token.js'),
      path: '/token',
      url: BASE,
      env,
      event: { request: { headers: { authorization: `Bearer ${ticket}`, origin: BASE }, cookies: {} } },
    });
    expect(JSON.parse(start.body)).toMatchObject({ identity: 'alice', accountSid: tenant.sid });
    expectLight(start);
  });

  it.each([
    'voice.js',
    'token.js',
    'voice/call-status.js',
    'voice/dial-status.js',
    'voice/recording-status.js',
  ])(
    '%s bundles no admin code, leaves no libphonenumber-js require, and compiles its item checks at build time',
    (file) => {
      const inputs = functionInputs(path.join(root, 'dist'), file);
      expect(inputs?.filter((input) => input.startsWith('src/admin/'))).toEqual([]);
      const source = readFileSync(built(file), 'utf8');
      // A reason only the compiled checks give (scripts/item-checks-compiled.ts), and no zod check.
      expect(source).toContain('": Invalid input"');
      expect(source).not.toMatch(/\bcheck\(accountItemSchema\b/);
      expect(source).not.toContain('require("libphonenumber-js');
      // Nor does it bundle the package: the private Function toll-fraud/phone-numbers alone holds it.
      expect(inputs?.filter((input) => input.includes('libphonenumber-js'))).toEqual([]);
    },
  );

  it('toll-fraud/phone-numbers.private.js holds libphonenumber-js, no as-you-type reader, and no other code of ours', () => {
    const inputs = functionInputs(path.join(root, 'dist'), 'toll-fraud/phone-numbers.private.js') ?? [];
    expect(inputs.some((input) => input.includes('node_modules/libphonenumber-js/'))).toBe(true);
    expect(inputs.filter((input) => /AsYouType/.test(input))).toEqual([]);
    expect(
      inputs.filter(
        (input) => input.startsWith('src/') && !/^src\/(toll-fraud|functions|http|errors)\//.test(input),
      ),
    ).toEqual([]);
  });

  it('token.js requires no schema library at all', () => {
    expect(readFileSync(built('token.js'), 'utf8')).not.toContain('require("zod")');
  });
});
