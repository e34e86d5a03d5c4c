/**
 * What one webhook request may cost the service, in-process against the sandbox: parameters up to the
 * caps verify and past them are refused before any HMAC; a request costs at most two HMACs per auth
 * token, genuine or forged; and a request of a thousand query and a thousand body parameters with a
 * served AccountSid is refused before any HMAC while a genuine call beside it is answered. Work is
 * counted (HMACs, Twilio requests), never timed: a busy machine would break a bound on time.
 */
import crypto from 'node:crypto';
import { startSandbox, type Sandbox } from '../../sandbox';
import { handler as voice } from '../../src/functions/voice';
import { clearTenantCache } from '../../src/registry/tenant-cache';
import { MAX_WEBHOOK_CHARS, MAX_WEBHOOK_PARAMS } from '../../src/webhooks/webhook-params';
import { invokeFunction, type FunctionCall } from '../../testkit/function-runtime';
import { charsOf, paddedTo } from '../../testkit/padded-params';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { serviceEnv } from '../../testkit/service-env';
import { callParams, signedWebhookCall } from '../../testkit/signed-webhook';
import { verbsOf } from '../../testkit/twiml';

let sandbox: Sandbox;
let env: Record<string, string>;
let tenant: ProvisionedTenant;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: 'https://voice.example.com' }));
  // As create writes it: the account item keeps a copy of the auth token, so a genuine request verifies
  // without asking Twilio, and a forgery's re-read is the only Twilio request (an item without a copy
  // is never given one by a webhook: each cold instance then reads the token once, see webhook-token.ts).
  tenant = await provisionTenant(sandbox, env, { authTokenInRegistry: true });
  // Warm: the registry item and the auth token are cached, as on a busy instance.
  expect(verbsOf((await invokeFunction(voice, genuine())).text)).toEqual(['Dial>Number']);
});

afterAll(() => sandbox.close());

afterEach(() => {
  jest.restoreAllMocks();
  expect(sandbox.specViolations()).toEqual([]);
});

/** The parameters of a browser call to a number. */
const browserCall = () => callParams({ accountSid: tenant.sid, from: 'client:alice', to: '+14155550199' });

/** A call to /voice genuinely signed with the tenant's token. */
const genuine = (params: Record<string, string> = browserCall()): FunctionCall =>
  signedWebhookCall({ env, path: '/voice', params, authToken: tenant.authToken });

/** A browser call padded to exactly `count` parameters and `chars` characters. */
const paddedCall = (count: number, chars: number) => paddedTo(browserCall(), count, chars);

function countHmacs() {
  const spy = jest.spyOn(crypto, 'createHmac');
  return () => spy.mock.calls.filter(([algorithm]) => algorithm === 'sha1').length;
}

describe('caps on what a webhook may carry', () => {
  it(`accepts a genuine request of exactly ${MAX_WEBHOOK_PARAMS} parameters and ${MAX_WEBHOOK_CHARS} characters`, async () => {
    const call = genuine(paddedCall(MAX_WEBHOOK_PARAMS, MAX_WEBHOOK_CHARS));
    expect(Object.keys(call.body ?? {})).toHaveLength(MAX_WEBHOOK_PARAMS);
    expect(charsOf(call.body as Record<string, string>)).toBe(MAX_WEBHOOK_CHARS);
    expect(verbsOf((await invokeFunction(voice, call)).text)).toEqual(['Dial>Number']);
  });

  it.each([
    ['one parameter too many', MAX_WEBHOOK_PARAMS + 1, MAX_WEBHOOK_CHARS],
    ['one character too many', MAX_WEBHOOK_PARAMS, MAX_WEBHOOK_CHARS + 1],
  ])('refuses a genuinely signed request with %s, before any HMAC', async (_name, count, chars) => {
    const call = genuine(paddedCall(count, chars));
    const hmacs = countHmacs();
    const answer = await invokeFunction(voice, call);
    expect(answer.statusCode).toBe(403);
    expect(answer.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    expect(hmacs()).toBe(0);
  });
});

describe('HMACs per request', () => {
  it('a genuine request costs one; a forged one of the maximum size two, and no Twilio request', async () => {
    const call = genuine();
    let hmacs = countHmacs();
    expect(verbsOf((await invokeFunction(voice, call)).text)).toEqual(['Dial>Number']);
    expect(hmacs()).toBe(1);
    jest.restoreAllMocks();

    // A forgery just after a re-fetch showed forgeries for this account: within the cooldown.
    const forged = (): FunctionCall => {
      const call = genuine(paddedCall(MAX_WEBHOOK_PARAMS, MAX_WEBHOOK_CHARS));
      return { ...call, headers: { 'X-Twilio-Signature': 'A'.repeat(27) + '=' } };
    };
    await invokeFunction(voice, forged());
    const forgeries = Array.from({ length: 20 }, forged);
    hmacs = countHmacs();
    const before = sandbox.countRequests();
    for (const forgery of forgeries) expect((await invokeFunction(voice, forgery)).statusCode).toBe(403);
    expect(hmacs()).toBe(2 * 20);
    expect(sandbox.countRequests()).toBe(before);
  });
});

describe('auth-token re-fetches caused by forgeries', () => {
  it('keep serving genuine requests from the cached token while Twilio answers the re-fetch', async () => {
    clearTenantCache();
    expect(verbsOf((await invokeFunction(voice, genuine())).text)).toEqual(['Dial>Number']);
    const forged = { ...genuine(), headers: { 'X-Twilio-Signature': 'A'.repeat(27) + '=' } };
    const genuineCall = genuine();
    const start = sandbox.log.length;
    const refetch = () =>
      sandbox.log.slice(start).find((request) => request.path.endsWith(`/${tenant.sid}.json`));
    // Twilio holds the re-fetch until the sandbox clock is moved past this latency (below).
    sandbox.setLatency(60_000);
    try {
      const forgery = invokeFunction(voice, forged).then((answer) => ({
        answer,
        refetchAnswered: typeof refetch()?.status === 'number',
      }));
      // While the re-fetch the forgery caused is on its way to Twilio:
      await until(() => refetch() !== undefined);
      const before = sandbox.countRequests();
      const answer = await invokeFunction(voice, genuineCall);
      expect(verbsOf(answer.text)).toEqual(['Dial>Number']);
      // Served from the cached token, with no Twilio request, while the re-fetch still waits for Twilio.
      expect(sandbox.countRequests()).toBe(before);
      expect(refetch()?.status).toBeNull();
      sandbox.advanceClock(60_000);
      // The forgery itself waited for the re-fetch, which showed the token unchanged: refused.
      const refused = await forgery;
      expect(refused.answer.statusCode).toBe(403);
      expect(refused.refetchAnswered).toBe(true);
    } finally {
      sandbox.setLatency(0);
    }
  });
});

/** Polls until `condition` holds (every 5 ms): waits for an event, never orders one. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('a request of two thousand parameters', () => {
  it('is refused with no HMAC and no Twilio request, and a genuine call beside it is answered', async () => {
    const query = paddedTo({}, 1000, 20_000, 'q');
    const body = paddedTo({ AccountSid: tenant.sid }, 1001, 20_000, 'b');
    const stalling: FunctionCall = {
      env,
      path: '/voice',
      query,
      body,
      headers: { 'X-Twilio-Signature': 'A'.repeat(27) + '=' },
    };
    const timed = async (call: FunctionCall) => {
      const started = performance.now();
      const answer = await invokeFunction(voice, call);
      return { answer, ms: performance.now() - started };
    };
    // Once untimed: the first run of any code path is slower (compilation), on both sides.
    await invokeFunction(voice, stalling);
    const alone = await timed(genuine());
    const besideCall = genuine();
    const hmacs = countHmacs();
    const requestsBefore = sandbox.countRequests();
    const [hostile, beside] = await Promise.all([timed(stalling), timed(besideCall)]);
    expect(hostile.answer.statusCode).toBe(403);
    expect(verbsOf(beside.answer.text)).toEqual(['Dial>Number']);
    // Verifying a signature over two thousand parameters is the work such a request could cause: only
    // the genuine call computed an HMAC, and neither asked Twilio anything. The times are printed for a
    // reader, not checked.
    expect(hmacs()).toBe(1);
    expect(sandbox.countRequests()).toBe(requestsBefore);
    console.log(
      `stalling request: ${hostile.ms.toFixed(2)} ms; genuine call beside it: ${beside.ms.toFixed(2)} ms ` +
        `(alone: ${alone.ms.toFixed(2)} ms)`,
    );
  });
});
