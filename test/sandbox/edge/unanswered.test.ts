/**
 * Nothing rings for ever at the sandbox's calling edge: a `<Dial><Client>` nobody answers ends its leg
 * `no-answer` after the Dial's timeout (https://www.twilio.com/docs/voice/twiml/dial#timeout), run on
 * the sandbox clock so the test moves it on, and the TwiML goes on to the Dial's action; a call ended
 * through the REST API (`Status=completed`, what suspending a subaccount does) stops the ringing.
 */
import twilio from 'twilio';
import { sandboxClient, useSandbox } from '../../helpers/sandbox';
import { connectSignalling, type SignallingMessage } from '../../helpers/signalling-client';
import { startVoiceApp, type VoiceAppServer } from '../../helpers/voice-app-server';

describe("the sandbox's calling edge: calls nobody answers", () => {
  const sandbox = useSandbox({ voiceEdge: {} });
  let app: VoiceAppServer;
  beforeAll(async () => {
    app = await startVoiceApp((path, _params, twiml) => {
      if (path === '/voice') twiml.dial({ action: '/dial-done', timeout: 30 }).client('alice');
      else if (path === '/dial-done') twiml.say('Nobody answered.');
    });
  });
  afterAll(() => new Promise((resolve) => app.server.close(resolve)));
  beforeEach(() => {
    app.received.length = 0;
  });

  /** A tenant whose number rings alice, and alice's softphone registered at the edge. */
  async function aliceRegistered() {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'Tenant' });
    const key = await client.api.v2010.accounts(sub.sid).newKeys.create({ friendlyName: 'voice' });
    const voiceApp = await client.api.v2010
      .accounts(sub.sid)
      .applications.create({ voiceUrl: `${app.url}/voice`, statusCallback: `${app.url}/status` });
    const number = sandbox().addPhoneNumber(sub.sid, { voiceApplicationSid: voiceApp.sid });
    const access = new twilio.jwt.AccessToken(sub.sid, key.sid, key.secret, { identity: 'alice', ttl: 600 });
    access.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: voiceApp.sid }));
    const alice = await connectSignalling(sandbox().voiceEdge?.host ?? '');
    alice.send('listen', { token: access.toJwt(), reconnectTimeout: 30 });
    await expect(alice.next()).resolves.toMatchObject({ type: 'connected' });
    alice.send('register', { media: { audio: true } });
    await expect(alice.next()).resolves.toMatchObject({ type: 'ready' });
    return { client, sub, number, alice };
  }

  const statusOf = (callSid: string | undefined) =>
    sandbox().state.calls.find((call) => call.sid === callSid)?.status;

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('ends an unanswered <Dial><Client> no-answer after its timeout, and goes on to the Dial action', async () => {
    const { number, alice } = await aliceRegistered();
    const call = await sandbox().inboundCall({ to: number.phoneNumber, from: '+14155550199' });
    const invite: SignallingMessage = await alice.next();
    expect(invite.type).toBe('invite');
    const childSid = invite.payload.callsid as string;
    // An incoming call's reconnect token comes with its invite (device.ts _onSignalingInvite).
    expect(invite.payload.reconnect).toEqual(expect.any(String));
    expect(statusOf(childSid)).toBe('ringing');

    sandbox().advanceClock(30_000);
    await expect(alice.next()).resolves.toMatchObject({ type: 'cancel', payload: { callsid: childSid } });
    await until(() => app.received.some((hit) => hit.path === '/dial-done'));
    expect(app.received.find((hit) => hit.path === '/dial-done')?.params.DialCallStatus).toBe('no-answer');
    expect(statusOf(childSid)).toBe('no-answer');
    // The action's <Say> is played, then the call ends as the document does.
    await until(() => statusOf(call.callSid) === 'completed');
    await until(() => app.received.some((hit) => hit.path === '/status'));
    alice.close();
  });

  it('stops the ringing when the call is ended through the REST API', async () => {
    const { client, sub, number, alice } = await aliceRegistered();
    const call = await sandbox().inboundCall({ to: number.phoneNumber });
    const invite = await alice.next();
    expect(invite.type).toBe('invite');
    await client.api.v2010.accounts(sub.sid).calls(call.callSid).update({ status: 'completed' });
    await expect(alice.next()).resolves.toMatchObject({
      type: 'cancel',
      payload: { callsid: invite.payload.callsid },
    });
    expect(statusOf(call.callSid)).toBe('completed');
    await until(() => statusOf(invite.payload.callsid as string) === 'canceled');
    await until(() => app.received.some((hit) => hit.path === '/status'));
    expect(app.received.find((hit) => hit.path === '/status')?.params.CallStatus).toBe('completed');
    alice.close();
  });
});
