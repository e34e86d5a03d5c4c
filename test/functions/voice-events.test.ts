/**
 * Events from the voice callbacks, in-process with Twilio's signed webhooks against the sandbox: the
 * TwiML App's StatusCallback posts `call.completed` (the Dial outcome none), the recording callback `voicemail.recorded` or
 * `recording.completed`, each checked by the documented verifier; a failing back-end changes no TwiML.
 */
import { randomBytes } from 'node:crypto';
import { startSandbox, type Sandbox } from '../../sandbox';
import { handler as callStatus } from '../../src/functions/voice/call-status';
import { handler as dialStatus } from '../../src/functions/voice/dial-status';
import { handler as recordingStatus } from '../../src/functions/voice/recording-status';
import { UNDELIVERED_EVENTS_MAP } from '../../src/events/undelivered';
import { startEventReceiver, type EventReceiver } from '../helpers/event-receiver';
import { invokeFunction } from '../../testkit/function-runtime';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { serviceEnv } from '../../testkit/service-env';
import { callParams, signedWebhookCall } from '../../testkit/signed-webhook';
import { verbsOf } from '../../testkit/twiml';

let sandbox: Sandbox;
let receiver: EventReceiver;
let env: Record<string, string>;
let tenant: ProvisionedTenant;
const secret = randomBytes(24).toString('hex');
const CALL_SID = 'CA0123456789abcdef0123456789abcdef';
const RECORDING_SID = 'RE0123456789abcdef0123456789abcdef';

beforeAll(async () => {
  sandbox = await startSandbox();
  receiver = await startEventReceiver(secret);
  env = sandboxEnv(sandbox, serviceEnv({ EVENTS_WEBHOOK_URL: receiver.url, EVENTS_WEBHOOK_SECRET: secret }));
  tenant = await provisionTenant(sandbox, env);
});

afterAll(async () => {
  await receiver.close();
  await sandbox.close();
});

beforeEach(() => {
  receiver.received.length = 0;
  receiver.answerWith(200);
});

afterEach(() => {
  expect(sandbox.specViolations()).toEqual([]);
});

const webhook = (
  handler: typeof dialStatus,
  path: string,
  extra: Record<string, string>,
  from = '+14155550100',
  to = tenant.numbers[0] as string,
) =>
  invokeFunction(
    handler,
    signedWebhookCall({
      env,
      path,
      params: callParams({ accountSid: tenant.sid, from, to, extra }),
      authToken: tenant.authToken,
    }),
  );

const recording = (source: string, status = 'completed') =>
  webhook(recordingStatus, '/voice/recording-status', {
    RecordingSid: RECORDING_SID,
    RecordingStatus: status,
    RecordingDuration: '7',
    RecordingChannels: '1',
    RecordingSource: source,
    RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${tenant.sid}/Recordings/${RECORDING_SID}`,
  });

describe('call events', () => {
  it('the end of an inbound call posts call.completed with its duration', async () => {
    const answer = await webhook(callStatus, '/voice/call-status', {
      CallStatus: 'completed',
      CallDuration: '42',
    });
    expect(verbsOf(answer.text)).toEqual([]);
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got?.verified).toBe(true);
    expect(got?.event).toMatchObject({
      type: 'call.completed',
      subaccountSid: tenant.sid,
      data: {
        callSid: CALL_SID,
        from: '+14155550100',
        to: tenant.numbers[0],
        direction: 'inbound',
        identity: null,
        callStatus: 'completed',
        durationSeconds: 42,
        price: null,
      },
    });
  });

  it("a browser's outgoing call posts call.completed naming its identity", async () => {
    await webhook(
      callStatus,
      '/voice/call-status',
      { CallStatus: 'completed', CallDuration: '65' },
      'client:alice',
      '+14155550199',
    );
    expect(receiver.ofType('call.completed').map((got) => [got.verified, got.event.data])).toEqual([
      [
        true,
        expect.objectContaining({
          direction: 'outgoing',
          identity: 'alice',
          to: '+14155550199',
          durationSeconds: 65,
        }),
      ],
    ]);
  });

  it('a call that is not over yet posts nothing', async () => {
    await webhook(callStatus, '/voice/call-status', { CallStatus: 'in-progress' });
    expect(receiver.received).toEqual([]);
  });

  it('the Dial outcome posts no event (the StatusCallback does, once per call), and still reaches voicemail', async () => {
    const answer = await webhook(dialStatus, '/voice/dial-status', { DialCallStatus: 'no-answer' });
    expect(verbsOf(answer.text)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(receiver.received).toEqual([]);
  });

  it("the voicemail's own Record action is not a call ending: no event", async () => {
    await webhook(dialStatus, '/voice/dial-status', { RecordingSid: RECORDING_SID, RecordingDuration: '7' });
    expect(receiver.received).toEqual([]);
  });

  it('a finished voicemail posts voicemail.recorded, a finished call recording recording.completed', async () => {
    expect(verbsOf((await recording('RecordVerb')).text)).toEqual([]);
    await recording('DialVerb');
    expect(receiver.received.map((got) => [got.event.type, got.verified])).toEqual([
      ['voicemail.recorded', true],
      ['recording.completed', true],
    ]);
    expect(receiver.received[0]?.event.data).toEqual({
      callSid: CALL_SID,
      recordingSid: RECORDING_SID,
      durationSeconds: 7,
      channels: 1,
      source: 'RecordVerb',
    });
    expect(JSON.stringify(receiver.received)).not.toContain('api.twilio.com');
  });

  it('a failed recording posts nothing', async () => {
    jest.spyOn(console, 'error').mockImplementationOnce(() => undefined);
    await recording('DialVerb', 'failed');
    expect(receiver.received).toEqual([]);
  });

  it('a back-end that does not answer delays the TwiML by at most the timeout, and the event is kept', async () => {
    receiver.answerWith('hang');
    // The receiver never answers: only the delivery's own timeout (DELIVERY_TIMEOUT_MS) lets the TwiML
    // come back (its length is not timed here, a busy machine would break a bound on time).
    const answer = await webhook(callStatus, '/voice/call-status', { CallStatus: 'busy' });
    expect(verbsOf(answer.text)).toEqual([]);
    const map = sandbox.state.syncMaps.find((m) => m.uniqueName === UNDELIVERED_EVENTS_MAP);
    const kept = sandbox.state.syncMapItems.filter((item) => item.mapSid === map?.sid);
    expect(kept.map((item) => item.key)).toEqual([receiver.received[0]?.event.id]);
  });
});
