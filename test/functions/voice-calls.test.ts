/**
 * End to end: the sandbox plays Twilio's part in real calls (signed webhooks to the TwiML App's Voice
 * URL, the `<Dial action>` that follows) against the built functions served by twilio-run over HTTP.
 */
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { findVerb, type CallResult, type Sandbox } from '../../sandbox';
import { provisionTenant, updateTenantRecord, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { callParams } from '../../testkit/signed-webhook';
import { startLocalService } from '../../testkit/local-service';
import type { ServedService } from '../../testkit/twilio-run-server';
import { verbsOf } from '../../testkit/twiml';

let sandbox: Sandbox;
let service: ServedService;
let env: Record<string, string>;
let tenant: ProvisionedTenant;

let stopLocalService: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ sandbox, service, env, stop: stopLocalService } = await startLocalService());
  tenant = await provisionTenant(sandbox, env, { numbers: 2 });
  await updateTenantRecord(env, tenant, {
    inboundRouting: { [tenant.numbers[0] as string]: ['alice', 'bob'] },
  });
}, 60_000);

afterAll(() => stopLocalService?.());

afterEach(() => {
  expect(sandbox.specViolations()).toEqual([]);
});

function expectTwiml(result: CallResult) {
  expect(result.status).toBe(200);
  expect(result.parseError).toBeNull();
  return result.response as NonNullable<CallResult['response']>;
}

it('an inbound call rings the routed identities and reaches voicemail when nobody answers', async () => {
  const call = await sandbox.inboundCall({ to: tenant.numbers[0] as string, from: '+14155550100' });
  const dial = findVerb(expectTwiml(call), 'Dial');
  // Each browser is told which of the account's numbers was called.
  expect(
    dial?.children.map((noun) =>
      [noun.name, ...noun.children.map((part) => `${part.name}:${part.text || part.attributes.value}`)].join(
        ' ',
      ),
    ),
  ).toEqual([
    `Client Identity:alice Parameter:${tenant.numbers[0]}`,
    `Client Identity:bob Parameter:${tenant.numbers[0]}`,
  ]);
  expect(dial?.attributes.action).toBe(`${env.PUBLIC_BASE_URL}/voice/dial-status`);

  const noAnswer = await sandbox.followDialAction(call.callSid, { DialCallStatus: 'no-answer' });
  expectTwiml(noAnswer);
  expect(verbsOf(noAnswer.twiml)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
  expect(findVerb(expectTwiml(noAnswer), 'Record')?.attributes.recordingStatusCallback).toBe(
    `${env.PUBLIC_BASE_URL}/voice/recording-status`,
  );
});

it("a browser client's call to a number dials it with the subaccount's caller ID", async () => {
  const call = await sandbox.outgoingClientCall({ token: tenant.voiceToken('alice'), to: '+14155550199' });
  const twiml = expectTwiml(call);
  expect(findVerb(twiml, 'Dial')?.attributes).toMatchObject({
    callerId: tenant.numbers[0],
    answerOnBridge: 'true',
  });
  expect(findVerb(twiml, 'Number')?.text).toBe('+14155550199');

  const chosen = await sandbox.outgoingClientCall({
    token: tenant.voiceToken('alice'),
    to: '+14155550199',
    params: { CallerId: tenant.numbers[1] as string },
  });
  expect(findVerb(expectTwiml(chosen), 'Dial')?.attributes.callerId).toBe(tenant.numbers[1]);
});

it('with the default guard, +1 900, +1 876, +1 809 and +1 284 calls are refused with a reason; US calls dial', async () => {
  for (const to of ['+19005550123', '+18765550123', '+18095550123', '+12845550123', '+882345678901']) {
    const call = await sandbox.outgoingClientCall({ token: tenant.voiceToken('alice'), to });
    expect(verbsOf(call.twiml)).toEqual(['Say', 'Hangup']);
    expect(findVerb(expectTwiml(call), 'Say')?.text).toMatch(
      /^Sorry\. Calls to .+ are not allowed from this account\.$/,
    );
  }
  const us = await sandbox.outgoingClientCall({ token: tenant.voiceToken('alice'), to: '+12125551234' });
  expect(verbsOf(us.twiml)).toEqual(['Dial>Number']);
});

it('a call to another identity dials that client', async () => {
  const call = await sandbox.outgoingClientCall({ token: tenant.voiceToken('alice'), to: 'client:bob' });
  expect(verbsOf(call.twiml)).toEqual(['Dial>Client']);
  expect(findVerb(expectTwiml(call), 'Client')?.text).toBe('bob');
});

it('a warm call makes no Twilio request', async () => {
  await sandbox.outgoingClientCall({ token: tenant.voiceToken('alice'), to: 'bob' });
  const before = sandbox.countRequests();
  const call = await sandbox.outgoingClientCall({ token: tenant.voiceToken('alice'), to: 'bob' });
  expect(verbsOf(call.twiml)).toEqual(['Dial>Client']);
  expect(sandbox.countRequests()).toBe(before);
});

describe('over the wire', () => {
  const post = (path: string, body: URLSearchParams, signature?: string) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(signature ? { 'X-Twilio-Signature': signature } : {}),
      },
      body,
    });

  const outcome = () =>
    callParams({
      accountSid: tenant.sid,
      from: '+14155550100',
      to: tenant.numbers[0] as string,
      extra: { DialCallStatus: 'completed', CallerName: 'Zoë 日本', Tag: 'b' },
    });

  it('accepts unicode parameters in the body, as Twilio signs them', async () => {
    const params = outcome();
    const signature = getExpectedTwilioSignature(
      tenant.authToken,
      `${service.url}/voice/dial-status`,
      params,
    );
    const answer = await post('/voice/dial-status', new URLSearchParams(params), signature);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(verbsOf(await answer.text())).toEqual(['Hangup']);
  });

  it('refuses, even signed over them, parameters on the URL (ours carry none) and repeated ones', async () => {
    const onUrl = '/voice/dial-status?attempt=2&note=a+b';
    const signedOnUrl = getExpectedTwilioSignature(tenant.authToken, `${service.url}${onUrl}`, outcome());
    expect((await post(onUrl, new URLSearchParams(outcome()), signedOnUrl)).status).toBe(403);

    const repeated = new URLSearchParams(Object.entries(outcome()));
    repeated.append('Tag', 'a');
    const signedRepeated = getExpectedTwilioSignature(tenant.authToken, `${service.url}/voice/dial-status`, {
      ...outcome(),
      Tag: ['b', 'a'],
    });
    const answer = await post('/voice/dial-status', repeated, signedRepeated);
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({ error: { code: 'invalid_signature' } });
  });

  it('refuses a request without a signature with 403 and no TwiML', async () => {
    const answer = await post('/voice', new URLSearchParams(outcome()));
    expect(answer.status).toBe(403);
    expect(await answer.text()).not.toContain('<Response');
  });

  it('refuses a genuine signature replayed to another path', async () => {
    const signature = getExpectedTwilioSignature(tenant.authToken, `${service.url}/voice`, outcome());
    const answer = await post('/voice/dial-status', new URLSearchParams(outcome()), signature);
    expect(answer.status).toBe(403);
  });

  it('never logs an auth token', () => {
    expect(service.output()).not.toContain(tenant.authToken);
    expect(service.output()).not.toContain(env.AUTH_TOKEN);
  });
});
