import twilio from 'twilio';
import { sandboxClient, useSandbox } from '../../helpers/sandbox';
import { connectSignalling as connect } from '../../helpers/signalling-client';

describe("the sandbox's calling edge: signalling", () => {
  const sandbox = useSandbox({ voiceEdge: {} });

  async function voiceCredentials() {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'Tenant' });
    const key = await client.api.v2010.accounts(sub.sid).newKeys.create({ friendlyName: 'voice' });
    const app = await client.api.v2010
      .accounts(sub.sid)
      .applications.create({ voiceUrl: 'http://127.0.0.1:9/voice' });
    const token = (options: { secret?: string; ttl?: number; identity?: string } = {}) => {
      const access = new twilio.jwt.AccessToken(sub.sid, key.sid, options.secret ?? key.secret, {
        identity: options.identity ?? 'alice',
        ttl: options.ttl ?? 600,
      });
      access.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: app.sid }));
      return access.toJwt();
    };
    return { token };
  }

  it("refuses a token with the gateway's codes the SDK handles (device.ts _onSignalingError)", async () => {
    const { token } = await voiceCredentials();
    const phone = await connect(sandbox().voiceEdge?.host ?? '');
    const refusal = async (sent: string) => {
      phone.send('listen', { token: sent });
      return (await phone.next()).payload.error;
    };
    // 31204 becomes the app's 20101 (AccessTokenInvalid), 31205 its 20104 and stops re-registering.
    await expect(refusal('not-a-token')).resolves.toMatchObject({ code: 31204 });
    await expect(refusal(token({ secret: 'x'.repeat(32) }))).resolves.toMatchObject({ code: 31204 });
    await expect(refusal(token({ ttl: -10 }))).resolves.toMatchObject({ code: 31205 });
    await expect(refusal(token({ ttl: 25 * 60 * 60 }))).resolves.toMatchObject({ code: 31207 });
    // Registering without a valid token is refused too.
    phone.send('register', { media: { audio: true } });
    await expect(phone.next()).resolves.toMatchObject({ type: 'error', payload: { error: { code: 31204 } } });
    expect(sandbox().voiceEdge?.sessionsFor('', 'alice')).toEqual([]);
    phone.close();
  });

  it('connects a valid token, registers the identity, and takes a renewed token', async () => {
    const { token } = await voiceCredentials();
    const phone = await connect(sandbox().voiceEdge?.host ?? '');
    phone.send('listen', { token: token() });
    const connected = await phone.next();
    expect(connected.type).toBe('connected');
    expect(connected.payload.token).toEqual({ identity: 'alice', ttl: expect.any(Number) });
    phone.send('register', { media: { audio: true } });
    await expect(phone.next()).resolves.toMatchObject({ type: 'ready' });

    // Device.updateToken() sends `listen` again: the new token is checked and answered the same way.
    phone.send('listen', { token: token({ ttl: 1200 }) });
    const renewed = await phone.next();
    expect(renewed.type).toBe('connected');
    expect(renewed.payload.token).toMatchObject({ identity: 'alice' });
    expect((renewed.payload.token as { ttl: number }).ttl).toBeGreaterThan(600);

    phone.send('register', { media: { audio: false } });
    await expect(phone.next()).resolves.toMatchObject({ type: 'offline' });
    phone.close();
  });

  it('sends heartbeats, and a user message on an unknown call gets an error naming its event', async () => {
    const { token } = await voiceCredentials();
    const phone = await connect(sandbox().voiceEdge?.host ?? '');
    phone.send('listen', { token: token() });
    await expect(phone.next()).resolves.toMatchObject({ type: 'connected' });
    phone.send('message', {
      callsid: 'CA0',
      content: '{}',
      messagetype: 'user-defined-message',
      voiceeventsid: 'KX1',
    });
    await expect(phone.next()).resolves.toMatchObject({
      type: 'error',
      payload: { callsid: 'CA0', voiceeventsid: 'KX1', error: { code: 31212 } },
    });
    // The SDK closes a socket silent for 15 s (wstransport.ts HEARTBEAT_TIMEOUT): a `\n` comes sooner.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (phone.heartbeats() === 0) return;
        clearInterval(poll);
        resolve();
      }, 100);
    });
    phone.close();
  });
});
