/**
 * The voice webhooks in-process (Twilio's own event construction) against the sandbox: routing of
 * every kind of call, the security rules, failure answers and how many Twilio requests they cost.
 */
import { randomBytes } from 'node:crypto';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { startSandbox, findVerb, type Sandbox } from '../../sandbox';
import { handler as voice } from '../../src/functions/voice';
import { handler as dialStatus } from '../../src/functions/voice/dial-status';
import { handler as recordingStatus } from '../../src/functions/voice/recording-status';
import { clearTenantCache } from '../../src/registry/tenant-cache';
import { VOICEMAIL_THANKS } from '../../src/voice/dial-outcome';
import { NOBODY_AVAILABLE } from '../../src/voice/no-answer';
import { REFUSALS } from '../../src/voice/outgoing-call';
import { APOLOGY } from '../../src/voice/twiml';
import { invokeFunction } from '../../testkit/function-runtime';
import {
  provisionTenant,
  sandboxEnv,
  updateTenantRecord,
  type ProvisionedTenant,
} from '../../testkit/provision-tenant';
import { serviceEnv } from '../../testkit/service-env';
import { callParams, signedWebhookCall } from '../../testkit/signed-webhook';
import { clientIdentities, twimlOf, verbsOf } from '../../testkit/twiml';

let sandbox: Sandbox;
let env: Record<string, string>;
let tenant: ProvisionedTenant;
let other: ProvisionedTenant;
let suspended: ProvisionedTenant;
let provisioning: ProvisionedTenant;

const BASE = 'https://voice.example.com';

const rewriteRecord = (target: ProvisionedTenant, change: Partial<ProvisionedTenant['record']>) =>
  updateTenantRecord(env, target, change);

beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: BASE }));
  tenant = await provisionTenant(sandbox, env, { numbers: 2 });
  other = await provisionTenant(sandbox, env, { friendlyName: 'Other', authTokenInRegistry: true });
  suspended = await provisionTenant(sandbox, env, { record: { status: 'suspended' } });
  provisioning = await provisionTenant(sandbox, env, { record: { status: 'provisioning' } });
  await rewriteRecord(tenant, { inboundRouting: { [tenant.numbers[0] as string]: ['alice', 'bob'] } });
});

afterAll(() => sandbox.close());

afterEach(() => {
  expect(sandbox.specViolations()).toEqual([]);
});

function call(
  handler: typeof voice,
  path: string,
  params: Record<string, string>,
  authToken: string | null,
  query?: Record<string, string>,
) {
  return invokeFunction(handler, signedWebhookCall({ env, path, params, query, authToken }));
}

const browserCall = (from: ProvisionedTenant, to: string, extra?: Record<string, string>) =>
  call(
    voice,
    '/voice',
    callParams({ accountSid: from.sid, from: 'client:alice', to, extra }),
    from.authToken,
  );

function expectTwiml(answer: { statusCode: number; headers: Record<string, unknown>; text: string }) {
  expect(answer.statusCode).toBe(200);
  expect(String(answer.headers['Content-Type'])).toMatch(/^text\/xml/);
  return twimlOf(answer.text);
}

describe('an outgoing call from a browser client', () => {
  it('to an allowed number dials it with the subaccount caller ID, answering on bridge', async () => {
    const twiml = expectTwiml(await browserCall(tenant, '+1 (415) 555-0199'));
    const dial = findVerb(twiml, 'Dial');
    expect(verbsOf(await (await browserCall(tenant, '+14155550199')).text)).toEqual(['Dial>Number']);
    expect(dial?.attributes).toMatchObject({ callerId: tenant.numbers[0], answerOnBridge: 'true' });
    expect(dial?.attributes.record).toBeUndefined();
    expect(findVerb(twiml, 'Number')?.text).toBe('+14155550199');
  });

  it('uses a CallerId the client sent only when the subaccount owns that number', async () => {
    const owned = tenant.numbers[1] as string;
    const dial = findVerb(
      expectTwiml(await browserCall(tenant, '+14155550199', { CallerId: owned })),
      'Dial',
    );
    expect(dial?.attributes.callerId).toBe(owned);

    const foreign = await browserCall(tenant, '+14155550199', { CallerId: other.numbers[0] as string });
    expect(verbsOf(foreign.text)).toEqual(['Say', 'Hangup']);
    expect(findVerb(twimlOf(foreign.text), 'Say')?.text).toBe(REFUSALS.callerIdNotOwned);
  });

  it('with the default guard, premium-rate and Caribbean +1 numbers are refused with a spoken reason', async () => {
    const refusals = {
      '+19005550123': 'Sorry. Calls to premium-rate numbers are not allowed from this account.',
      '+18765550123': 'Sorry. Calls to Jamaica numbers are not allowed from this account.',
      '+18095550123': 'Sorry. Calls to Dominican Republic numbers are not allowed from this account.',
      '+12845550123': 'Sorry. Calls to British Virgin Islands numbers are not allowed from this account.',
      '+442071838750': 'Sorry. Calls to United Kingdom numbers are not allowed from this account.',
      '+882345678901': 'Sorry. Calls to numbers not recognised as valid are not allowed from this account.',
    };
    for (const [to, said] of Object.entries(refusals)) {
      const twiml = expectTwiml(await browserCall(tenant, to));
      expect(findVerb(twiml, 'Dial')).toBeUndefined();
      expect(findVerb(twiml, 'Say')?.text).toBe(said);
      expect(findVerb(twiml, 'Hangup')).toBeDefined();
    }
    for (const to of ['+14155550199', '+12125551234', '+1 (646) 555-0100']) {
      const answer = await browserCall(tenant, to);
      expect(verbsOf(answer.text)).toEqual(['Dial>Number']);
    }
  });

  it("follows the subaccount's own guard: allowed countries, and blocked types lifted", async () => {
    await rewriteRecord(other, { allowedCountries: ['US', 'JM'], blockedNumberTypes: ['unknown'] });
    try {
      expect(verbsOf((await browserCall(other, '+18765550123')).text)).toEqual(['Dial>Number']);
      expect(verbsOf((await browserCall(other, '+19005550123')).text)).toEqual(['Dial>Number']);
      const dominican = await browserCall(other, '+18095550123');
      expect(findVerb(twimlOf(dominican.text), 'Say')?.text).toMatch(/Dominican Republic/);
    } finally {
      await rewriteRecord(other, { allowedCountries: undefined, blockedNumberTypes: undefined });
    }
  });

  it('to something that is neither a number nor an identity is refused with a reason', async () => {
    for (const to of ['bob smith', '+1-800-FLOWERS', 'sip:bob@example.com', '']) {
      const answer = await browserCall(tenant, to);
      expect(findVerb(twimlOf(answer.text), 'Say')?.text).toBe(REFUSALS.invalidDestination);
    }
  });

  it('to another identity dials that client, by client: name or bare identity', async () => {
    for (const to of ['client:bob', 'bob']) {
      const twiml = expectTwiml(await browserCall(tenant, to));
      expect(verbsOf(await (await browserCall(tenant, to)).text)).toEqual(['Dial>Client']);
      expect(clientIdentities(findVerb(twiml, 'Dial'))).toEqual(['bob']);
    }
  });

  it('records dual-channel from answer, with a status callback, when the subaccount records calls', async () => {
    await rewriteRecord(other, { recording: true });
    const dial = findVerb(expectTwiml(await browserCall(other, '+14155550199')), 'Dial');
    expect(dial?.attributes).toMatchObject({
      record: 'record-from-answer-dual',
      recordingStatusCallback: `${BASE}/voice/recording-status`,
    });
    await rewriteRecord(other, { recording: false });
  });

  it('of the main account reaches its clients but not numbers, since it has no registered caller ID', async () => {
    const params = callParams({ accountSid: env.ACCOUNT_SID as string, from: 'client:ops', to: 'bob' });
    expect(verbsOf((await call(voice, '/voice', params, env.AUTH_TOKEN as string)).text)).toEqual([
      'Dial>Client',
    ]);
    const toNumber = { ...params, To: '+14155550199' };
    const answer = await call(voice, '/voice', toNumber, env.AUTH_TOKEN as string);
    expect(findVerb(twimlOf(answer.text), 'Say')?.text).toBe(REFUSALS.noCallerId);
  });
});

describe('an inbound call to a number', () => {
  const inbound = (to: string) =>
    call(voice, '/voice', callParams({ accountSid: tenant.sid, from: '+14155550100', to }), tenant.authToken);

  it('rings every routed identity at once, with a timeout and the Dial outcome callback', async () => {
    const twiml = expectTwiml(await inbound(tenant.numbers[0] as string));
    const dial = findVerb(twiml, 'Dial');
    expect(dial?.attributes).toMatchObject({ action: `${BASE}/voice/dial-status`, timeout: '20' });
    expect(clientIdentities(dial)).toEqual(['alice', 'bob']);
  });

  it('to a number routed to nobody goes straight to voicemail', async () => {
    expect(verbsOf((await inbound(tenant.numbers[1] as string)).text)).toEqual([
      'Say',
      'Record',
      'Say',
      'Hangup',
    ]);
  });

  const outcome = (status: Record<string, string>) =>
    call(
      dialStatus,
      '/voice/dial-status',
      callParams({
        accountSid: tenant.sid,
        from: '+14155550100',
        to: tenant.numbers[0] as string,
        extra: status,
      }),
      tenant.authToken,
    );

  it.each(['no-answer', 'busy', 'failed'])('that nobody answered (%s) reaches voicemail', async (status) => {
    const twiml = expectTwiml(await outcome({ DialCallStatus: status }));
    expect(twiml.children.map((verb) => verb.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(findVerb(twiml, 'Record')?.attributes).toMatchObject({
      action: `${BASE}/voice/dial-status`,
      recordingStatusCallback: `${BASE}/voice/recording-status`,
    });
  });

  it.each(['completed', 'canceled'])('that ended normally (%s) hangs up', async (status) => {
    expect(verbsOf((await outcome({ DialCallStatus: status })).text)).toEqual(['Hangup']);
  });

  it('thanks the caller once the voicemail is recorded', async () => {
    const answer = await outcome({
      RecordingSid: 'RE0123456789abcdef0123456789abcdef',
      RecordingDuration: '7',
    });
    expect(verbsOf(answer.text)).toEqual(['Say', 'Hangup']);
    expect(findVerb(twimlOf(answer.text), 'Say')?.text).toBe(VOICEMAIL_THANKS);
  });

  // A name that is not an identity cannot reach the registry any more (the number's item would not
  // validate): test/registry/tampered-items.test.ts shows such an item refused.
  it("rings at most Twilio's 10 clients at once", async () => {
    const many = Array.from({ length: 12 }, (_, i) => `agent_${i}`);
    await rewriteRecord(tenant, { inboundRouting: { [tenant.numbers[1] as string]: many } });
    const dial = findVerb(expectTwiml(await inbound(tenant.numbers[1] as string)), 'Dial');
    expect(clientIdentities(dial)).toEqual(many.slice(0, 10));
    await rewriteRecord(tenant, { inboundRouting: { [tenant.numbers[0] as string]: ['alice', 'bob'] } });
  });

  it('gets a message instead of voicemail when the subaccount does not want voicemail', async () => {
    await rewriteRecord(tenant, { voicemail: false });
    const answer = await outcome({ DialCallStatus: 'no-answer' });
    expect(verbsOf(answer.text)).toEqual(['Say', 'Hangup']);
    expect(findVerb(twimlOf(answer.text), 'Say')?.text).toBe(NOBODY_AVAILABLE);
    await rewriteRecord(tenant, { voicemail: true });
  });
});

describe('the recording status callback', () => {
  it('is accepted and logged with identifiers only: no recording URL, no token', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const params = callParams({
      accountSid: tenant.sid,
      from: '+14155550100',
      to: tenant.numbers[0] as string,
      extra: {
        RecordingSid: 'RE0123456789abcdef0123456789abcdef',
        RecordingStatus: 'failed',
        RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE-secret-media',
        ErrorCode: '13617',
      },
    });
    const answer = await call(recordingStatus, '/voice/recording-status', params, tenant.authToken);
    const logged = errors.mock.calls.flat().join('\n');
    errors.mockRestore();
    expect(verbsOf(answer.text)).toEqual([]);
    expect(logged).toContain('RE0123456789abcdef0123456789abcdef');
    expect(logged).not.toContain('secret-media');
    expect(logged).not.toContain(tenant.authToken);
  });
});

describe('security', () => {
  const params = () => callParams({ accountSid: tenant.sid, from: 'client:alice', to: '+14155550199' });

  async function expectRefused(answer: Promise<{ statusCode: number; text: string }>) {
    const { statusCode, text } = await answer;
    expect(statusCode).toBe(403);
    expect(text).not.toContain('<Response');
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'invalid_signature' } });
  }

  it('refuses a request without a signature', async () => {
    await expectRefused(call(voice, '/voice', params(), null));
  });

  it("refuses a subaccount's request signed with the main account's token", async () => {
    await expectRefused(call(voice, '/voice', params(), env.AUTH_TOKEN as string));
  });

  it("refuses a subaccount's request signed with another subaccount's token", async () => {
    await expectRefused(call(voice, '/voice', params(), other.authToken));
  });

  it('refuses a request whose parameter was changed after signing', async () => {
    const signed = signedWebhookCall({ env, path: '/voice', params: params(), authToken: tenant.authToken });
    const tampered = { ...signed, body: { ...signed.body, To: '+19005550123' } };
    await expectRefused(invokeFunction(voice, tampered));
  });

  it('refuses a genuine request replayed to another path', async () => {
    const signed = signedWebhookCall({ env, path: '/voice', params: params(), authToken: tenant.authToken });
    await expectRefused(invokeFunction(dialStatus, { ...signed, path: '/voice/dial-status' }));
  });

  it('refuses parameters on a query string, even signed over it: our webhook URLs carry none', async () => {
    const status = callParams({
      accountSid: tenant.sid,
      from: '+14155550100',
      to: tenant.numbers[0] as string,
      extra: { DialCallStatus: 'completed' },
    });
    await expectRefused(call(dialStatus, '/voice/dial-status', status, tenant.authToken, { attempt: '2' }));
  });

  it("refuses a genuine call resent with a parameter repeated, which Twilio's own validator accepts", async () => {
    const inbound = callParams({
      accountSid: tenant.sid,
      from: 'client:alice',
      to: tenant.numbers[0] as string,
    });
    const signed = signedWebhookCall({ env, path: '/voice', params: inbound, authToken: tenant.authToken });
    const repeated = { ...signed.body, From: ['client:alice', 'client:alice'] };
    const signature = signed.headers?.['X-Twilio-Signature'] ?? '';
    // Twilio's format keeps one of equal values: the signature still verifies over the repeated form.
    expect(validateRequest(tenant.authToken, signature, `${BASE}/voice`, repeated)).toBe(true);
    await expectRefused(invokeFunction(voice, { ...signed, body: repeated }));
    // Repeated on the query: refused the same way. (A name both on the query and in the body reaches
    // the function once, with the body's value, which is the signed one: the runtime merges them.)
    await expectRefused(invokeFunction(voice, { ...signed, query: { Tag: ['a', 'b'] } }));
  });

  it.each([
    ['an unknown subaccount', () => `AC${randomBytes(16).toString('hex')}`],
    ['a malformed account SID', () => 'AC../../Services'],
  ])('refuses a call for %s: nothing to check its signature with', async (_name, accountSid) => {
    await expectRefused(
      call(
        voice,
        '/voice',
        callParams({ accountSid: accountSid(), from: 'client:alice', to: '+14155550199' }),
        suspended.authToken,
      ),
    );
  });

  it('rejects a call for a suspended subaccount, signed with its own token', async () => {
    const answer = await call(
      voice,
      '/voice',
      callParams({ accountSid: suspended.sid, from: 'client:alice', to: '+14155550199' }),
      suspended.authToken,
    );
    expect(verbsOf(answer.text)).toEqual(['Reject']);
  });

  it('rejects a call for a subaccount whose create has not finished, signed with its own token', async () => {
    const answer = await call(
      voice,
      '/voice',
      callParams({ accountSid: provisioning.sid, from: 'client:alice', to: '+14155550199' }),
      provisioning.authToken,
    );
    expect(verbsOf(answer.text)).toEqual(['Reject']);
  });

  it('still serves the Dial outcome of a call under way when its subaccount was suspended since', async () => {
    const answer = await call(
      dialStatus,
      '/voice/dial-status',
      callParams({
        accountSid: suspended.sid,
        from: '+1415',
        to: '+1415',
        extra: { DialCallStatus: 'completed' },
      }),
      suspended.authToken,
    );
    expect(verbsOf(answer.text)).toEqual(['Hangup']);
  });
});

describe('cost and failure', () => {
  const registryReads = () => sandbox.countRequests({ method: 'GET', path: '/Items/' });
  const accountFetches = (sid: string) =>
    sandbox.countRequests({ method: 'GET', path: `/Accounts/${sid}.json` });

  it('a warm request makes no Twilio request at all', async () => {
    // A cold instance's first request also lists the tenants (known-tenants.ts), beside its answer.
    await browserCall(tenant, '+14155550199');
    await browserCall(tenant, '+14155550199');
    const before = sandbox.countRequests();
    expect(verbsOf((await browserCall(tenant, '+14155550199')).text)).toEqual(['Dial>Number']);
    expect(sandbox.countRequests()).toBe(before);
  });

  it('50 simultaneous cold requests for one subaccount read it once and fetch no account', async () => {
    clearTenantCache();
    sandbox.setLatency(50);
    const [reads, fetches] = [registryReads(), accountFetches(other.sid)];
    const answers = await Promise.all(Array.from({ length: 50 }, () => browserCall(other, '+14155550199')));
    sandbox.setLatency(0);
    expect(answers.every((answer) => verbsOf(answer.text).join() === 'Dial>Number')).toBe(true);
    // One read of its `account` item for all 50, and one of its directory summary (the version floor
    // of an instance's first tenant, known-tenants.ts).
    expect(registryReads() - reads).toBe(2);
    // The registry's copy of the token (kept by create, as for `other`) checks the signature.
    expect(accountFetches(other.sid) - fetches).toBe(0);
  });

  it('notices a rotated auth token at the first request signed with it, and forged requests do not hammer Twilio', async () => {
    await browserCall(other, 'bob');
    const rotated = { ...other, authToken: sandbox.rotateAuthToken(other.sid) };
    const fetches = accountFetches(other.sid);
    expect(verbsOf((await browserCall(rotated, 'bob')).text)).toEqual(['Dial>Client']);
    expect(accountFetches(other.sid) - fetches).toBe(1);

    const forged = { ...other, authToken: randomBytes(16).toString('hex') };
    for (let i = 0; i < 5; i++) expect((await browserCall(forged, 'bob')).statusCode).toBe(403);
    // At most one re-read per cooldown window: five forgeries in a row cross at most one window boundary
    // on a busy machine, never five.
    expect(accountFetches(other.sid) - fetches).toBeLessThanOrEqual(2);
    other.authToken = rotated.authToken;
  });

  it('refuses a forged request with 403 even when Twilio fails the re-fetch of the token', async () => {
    clearTenantCache();
    await browserCall(other, 'bob');
    sandbox.failRequest(1, '500', { match: { path: `/Accounts/${other.sid}.json` } });
    const failedFetches = () =>
      sandbox.requests({ path: `/Accounts/${other.sid}.json` }).filter((request) => request.status === 500)
        .length;
    const before = failedFetches();
    const forged = { ...other, authToken: randomBytes(16).toString('hex') };
    expect((await browserCall(forged, 'bob')).statusCode).toBe(403);
    expect(failedFetches() - before).toBe(1);
  });

  it('answers an apology, not an error page, when the registry cannot be read', async () => {
    clearTenantCache();
    sandbox.failRequest(1, '500', { match: { path: '/Items/' } });
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const answer = await browserCall(tenant, '+14155550199');
    errors.mockRestore();
    expect(verbsOf(answer.text)).toEqual(['Say', 'Hangup']);
    expect(findVerb(twimlOf(answer.text), 'Say')?.text).toBe(APOLOGY);
  });
});
