import twilio from 'twilio';
import { findVerb } from '../../../sandbox';
import { startVoiceApp, type VoiceAppServer } from '../../helpers/voice-app-server';
import { defined, sandboxClient, useSandbox } from '../../helpers/sandbox';

/** A tiny voice app: answers a Dial with an action, then a Say. */
const startDialVoiceApp = () =>
  startVoiceApp((path, _params, twiml) => {
    if (path === '/voice') twiml.dial({ action: 'dial-done', timeout: 20 }).client('alice');
    else twiml.say('Nobody answered');
  });

describe("Twilio's part in a call", () => {
  const sandbox = useSandbox();
  let app: VoiceAppServer;
  beforeAll(async () => {
    app = await startDialVoiceApp();
  });
  afterAll(() => new Promise((resolve) => app.server.close(resolve)));
  beforeEach(() => {
    app.received.length = 0;
  });

  async function tenantWithNumber() {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'Tenant' });
    const voiceApp = await client.api.v2010
      .accounts(sub.sid)
      .applications.create({ voiceUrl: `${app.url}/voice` });
    const number = defined(main.phoneNumbers[0]);
    await client.api.v2010
      .accounts(main.accountSid)
      .incomingPhoneNumbers(number.sid)
      .update({ accountSid: sub.sid, voiceApplicationSid: voiceApp.sid });
    return { main, client, sub, voiceApp, number };
  }

  it("signs an inbound call's webhook with the owning subaccount's token, and only that token validates", async () => {
    const { sub, main, number } = await tenantWithNumber();
    const result = await sandbox().inboundCall({ to: number.phoneNumber, from: '+14155550199' });
    expect(result.status).toBe(200);
    expect(findVerb(defined(result.response), 'Client')?.text).toBe('alice');
    const [hit] = app.received;
    expect(defined(hit).params).toMatchObject({
      AccountSid: sub.sid,
      To: number.phoneNumber,
      Called: number.phoneNumber,
      From: '+14155550199',
      Caller: '+14155550199',
      CallStatus: 'ringing',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
      CallSid: result.callSid,
    });
    expect(
      twilio.validateRequest(sub.authToken, defined(hit).signature, `${app.url}/voice`, defined(hit).params),
    ).toBe(true);
    expect(
      twilio.validateRequest(main.authToken, defined(hit).signature, `${app.url}/voice`, defined(hit).params),
    ).toBe(false);
    expect(sandbox().state.calls.find((c) => c.sid === result.callSid)?.accountSid).toBe(sub.sid);
  });

  it('follows the <Dial action>, resolved against the webhook URL and signed the same way', async () => {
    const { sub, number } = await tenantWithNumber();
    const first = await sandbox().inboundCall({ to: number.phoneNumber });
    const next = await sandbox().followDialAction(first.callSid, { DialCallStatus: 'no-answer' });
    expect(next.url).toBe(`${app.url}/dial-done`);
    expect(findVerb(defined(next.response), 'Say')?.text).toBe('Nobody answered');
    const hit = defined(app.received[1]);
    expect(hit.params).toMatchObject({ DialCallStatus: 'no-answer', CallSid: first.callSid });
    expect(twilio.validateRequest(sub.authToken, hit.signature, `${app.url}/dial-done`, hit.params)).toBe(
      true,
    );
  });

  function voiceToken(
    accountSid: string,
    key: { sid: string; secret: string },
    applicationSid: string,
    ttl = 600,
  ) {
    const token = new twilio.jwt.AccessToken(accountSid, key.sid, key.secret, { identity: 'agent_7', ttl });
    token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: applicationSid }));
    return token.toJwt();
  }

  it('checks a browser client token and posts the outgoing call to its TwiML App as client:<identity>', async () => {
    const { client, sub, voiceApp } = await tenantWithNumber();
    const key = await client.api.v2010.accounts(sub.sid).newKeys.create();
    const result = await sandbox().outgoingClientCall({
      token: voiceToken(sub.sid, key, voiceApp.sid),
      to: '+14155550123',
      params: { tenant: 'x' },
    });
    expect(result.status).toBe(200);
    const hit = defined(app.received[0]);
    expect(hit.params).toMatchObject({
      From: 'client:agent_7',
      Caller: 'client:agent_7',
      To: '+14155550123',
      AccountSid: sub.sid,
      ApplicationSid: voiceApp.sid,
      Direction: 'inbound',
      tenant: 'x',
    });
    expect(twilio.validateRequest(sub.authToken, hit.signature, `${app.url}/voice`, hit.params)).toBe(true);
  });

  it('refuses a token signed with a key of another account, a foreign app and an expired token', async () => {
    const { client, sub, voiceApp, main } = await tenantWithNumber();
    const mainKey = await client.api.v2010.accounts(main.accountSid).newKeys.create();
    const subKey = await client.api.v2010.accounts(sub.sid).newKeys.create();
    await expect(
      sandbox().outgoingClientCall({ token: voiceToken(sub.sid, mainKey, voiceApp.sid), to: 'bob' }),
    ).rejects.toMatchObject({ code: 20103 });
    const mainApp = await client.api.v2010
      .accounts(main.accountSid)
      .applications.create({ voiceUrl: `${app.url}/voice` });
    await expect(
      sandbox().outgoingClientCall({ token: voiceToken(sub.sid, subKey, mainApp.sid), to: 'bob' }),
    ).rejects.toMatchObject({ code: 20106 });
    await expect(
      sandbox().outgoingClientCall({ token: voiceToken(sub.sid, subKey, voiceApp.sid, -10), to: 'bob' }),
    ).rejects.toMatchObject({ code: 20104 });
    const forged = voiceToken(sub.sid, { sid: subKey.sid, secret: 'not-the-secret' }, voiceApp.sid);
    await expect(sandbox().outgoingClientCall({ token: forged, to: 'bob' })).rejects.toMatchObject({
      code: 20107,
    });
    expect(app.received).toEqual([]);
  });

  it('lists live calls by status and ends one with Status=completed', async () => {
    const { client, sub } = await tenantWithNumber();
    const live = sandbox().createCall({
      accountSid: sub.sid,
      from: '+14155550111',
      to: '+14155550100',
      status: 'in-progress',
    });
    sandbox().createCall({
      accountSid: sub.sid,
      from: '+14155550112',
      to: '+14155550100',
      status: 'completed',
    });
    const inProgress = await client.api.v2010.accounts(sub.sid).calls.list({ status: 'in-progress' });
    expect(inProgress.map((c) => c.sid)).toEqual([live.sid]);
    expect(
      (await client.api.v2010.accounts(sub.sid).calls(live.sid).update({ status: 'completed' })).status,
    ).toBe('completed');
    expect(await client.api.v2010.accounts(sub.sid).calls.list({ status: 'in-progress' })).toEqual([]);
  });
});
