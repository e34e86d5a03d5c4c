/**
 * Twilio's part as a simulated call goes on and ends: the answered `<Dial>` leg, the recording it asked
 * for, the `<Record>` voicemail, the callbacks with Twilio's parameters, the ended call's duration and
 * price, and the Recording resource (list, filters, fetch, delete, WAV media) held to twilio-oai.
 */
import twilio from 'twilio';
import { startVoiceApp, type VoiceAppServer } from '../../helpers/voice-app-server';
import { defined, refusal, sandboxClient, useSandbox } from '../../helpers/sandbox';

/** A voice app: a recorded Dial with an action, then voicemail after an unanswered one. */
const startRecordingVoiceApp = () =>
  startVoiceApp((path, params, twiml) => {
    if (path === '/voice') {
      twiml
        .dial({
          action: 'dial-done',
          callerId: '+14155550100',
          record: 'record-from-answer-dual',
          recordingStatusCallback: '/recording',
        })
        .number(params.To ?? '');
    } else if (path === '/dial-done' && params.DialCallStatus === 'no-answer') {
      twiml.record({ action: '/record-done', recordingStatusCallback: '/recording' });
    } else {
      twiml.hangup();
    }
  });

describe('a simulated call ends as on Twilio', () => {
  const sandbox = useSandbox();
  let app: VoiceAppServer;
  beforeAll(async () => {
    app = await startRecordingVoiceApp();
  });
  afterAll(() => new Promise((resolve) => app.server.close(resolve)));
  beforeEach(() => {
    app.received.length = 0;
  });

  async function tenant() {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'Tenant' });
    const voiceApp = await client.api.v2010
      .accounts(sub.sid)
      .applications.create({ voiceUrl: `${app.url}/voice`, statusCallback: `${app.url}/status` });
    const number = sandbox().addPhoneNumber(sub.sid, { voiceApplicationSid: voiceApp.sid });
    return { main, client, sub, voiceApp, number, own: sandboxClient(sandbox(), sub.sid, sub.authToken) };
  }

  const hits = (path: string) => app.received.filter((hit) => hit.path === path);

  it('an answered, recorded Dial: child leg, recording, callbacks, Dial action, then the call ends priced', async () => {
    const { sub, number, own } = await tenant();
    const call = await sandbox().inboundCall({ to: number.phoneNumber, from: '+14155550199' });
    const ended = await sandbox().completeCall(call.callSid, { answeredSeconds: 61 });
    expect(ended).toMatchObject({ status: 'completed', durationSeconds: 61, price: '-0.01700' });
    const recordingSid = defined(ended.recordingSids[0]);
    expect(app.received.map((hit) => hit.path)).toEqual(['/voice', '/recording', '/dial-done', '/status']);
    for (const hit of app.received) {
      expect(twilio.validateRequest(sub.authToken, hit.signature, `${app.url}${hit.path}`, hit.params)).toBe(
        true,
      );
    }
    expect(defined(hits('/recording')[0]).params).toMatchObject({
      AccountSid: sub.sid,
      CallSid: call.callSid,
      RecordingSid: recordingSid,
      RecordingStatus: 'completed',
      RecordingDuration: '61',
      RecordingChannels: '2',
      RecordingSource: 'DialVerb',
    });
    expect(defined(hits('/dial-done')[0]).params).toMatchObject({
      DialCallStatus: 'completed',
      DialCallSid: ended.dialedCallSid,
      DialCallDuration: '61',
      RecordingSid: recordingSid,
    });
    expect(defined(hits('/status')[0]).params).toMatchObject({
      CallSid: call.callSid,
      CallStatus: 'completed',
      CallDuration: '61',
      Direction: 'inbound',
    });

    const parent = await own.calls(call.callSid).fetch();
    expect(parent).toMatchObject({
      status: 'completed',
      duration: '61',
      price: '-0.01700',
      priceUnit: 'USD',
    });
    const [leg] = await own.calls.list({ parentCallSid: call.callSid });
    expect(leg).toMatchObject({ direction: 'outbound-dial', to: number.phoneNumber, duration: '61' });
    const recording = await own.recordings(recordingSid).fetch();
    expect(recording).toMatchObject({
      callSid: call.callSid,
      source: 'DialVerb',
      channels: 2,
      duration: '61',
      price: '-0.00500',
      status: 'completed',
    });
    await expect(sandbox().completeCall(call.callSid)).rejects.toThrow(/already ended/);
  });

  it('voicemail: the Record action, the recording callback, then the end of the call', async () => {
    const { number, own } = await tenant();
    const call = await sandbox().inboundCall({ to: number.phoneNumber });
    await sandbox().followDialAction(call.callSid, { DialCallStatus: 'no-answer' });
    const ended = await sandbox().leaveVoicemail(call.callSid, { seconds: 9 });
    expect(app.received.map((hit) => hit.path)).toEqual([
      '/voice',
      '/dial-done',
      '/record-done',
      '/recording',
      '/status',
    ]);
    expect(defined(hits('/record-done')[0]).params).toMatchObject({
      RecordingSid: ended.recordingSids[0],
      RecordingDuration: '9',
      Digits: 'hangup',
    });
    expect(defined(hits('/recording')[0]).params).toMatchObject({
      RecordingSource: 'RecordVerb',
      RecordingChannels: '1',
    });
    expect(defined(hits('/status')[0]).params).toMatchObject({ CallStatus: 'completed', CallDuration: '9' });
    expect(await own.recordings.list({ callSid: call.callSid })).toEqual([
      expect.objectContaining({ source: 'RecordVerb', channels: 1, duration: '9' }),
    ]);
  });

  it("a browser's call out is priced at the client rate, its leg to the number at the outbound rate", async () => {
    const { sub, voiceApp, client, own } = await tenant();
    const key = await client.api.v2010.accounts(sub.sid).newKeys.create();
    const token = new twilio.jwt.AccessToken(sub.sid, key.sid, key.secret, { identity: 'alice', ttl: 600 });
    token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: voiceApp.sid }));
    const call = await sandbox().outgoingClientCall({ token: token.toJwt(), to: '+14155550123' });
    const ended = await sandbox().completeCall(call.callSid, { answeredSeconds: 30 });
    expect(ended.price).toBe('-0.00400');
    expect((await own.calls(defined(ended.dialedCallSid)).fetch()).price).toBe('-0.01400');
    expect(defined(hits('/status')[0]).params).toMatchObject({ From: 'client:alice', CallDuration: '30' });
  });

  it('lists recordings account-wide with Twilio filters and paging, serves WAV with credentials, deletes', async () => {
    const { main, number, own } = await tenant();
    const sids: string[] = [];
    for (const seconds of [5, 6, 7]) {
      const call = await sandbox().inboundCall({ to: number.phoneNumber });
      sids.push(...(await sandbox().completeCall(call.callSid, { answeredSeconds: seconds })).recordingSids);
    }
    const firstPage = await own.recordings.page({ pageSize: 2 });
    expect(firstPage.instances).toHaveLength(2);
    const second = await firstPage.nextPage();
    expect(second?.instances).toHaveLength(1);
    expect(await own.recordings.list({ dateCreatedBefore: new Date('2020-01-01') })).toEqual([]);
    expect(await own.recordings.list({ dateCreatedAfter: new Date(Date.now() - 60_000) })).toHaveLength(3);

    const mediaUrl = `${sandbox().baseUrl}/2010-04-01/Accounts/${number.accountSid}/Recordings/${sids[0]}.wav`;
    const basic = (user: string, password: string) =>
      `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    expect((await fetch(mediaUrl)).status).toBe(401);
    const wav = await fetch(mediaUrl, { headers: { authorization: basic(main.accountSid, main.authToken) } });
    expect(wav.status).toBe(200);
    expect(wav.headers.get('content-type')).toBe('audio/x-wav');
    const bytes = Buffer.from(await wav.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(bytes.readUInt32LE(40)).toBe(5 * 8000 * 2 * 2);
    const mp3 = await fetch(mediaUrl.replace('.wav', '.mp3'), {
      headers: { authorization: basic(main.accountSid, main.authToken) },
    });
    expect(await mp3.json()).toMatchObject({ status: 404, message: expect.stringContaining('WAV') });

    await own.recordings(defined(sids[0])).remove();
    expect(await refusal(own.recordings(defined(sids[0])).fetch())).toMatchObject({ status: 404 });
    expect(await refusal(own.recordings(defined(sids[0])).remove())).toMatchObject({ status: 404 });
    const gone = await fetch(mediaUrl, {
      headers: { authorization: basic(main.accountSid, main.authToken) },
    });
    expect(gone.status).toBe(404);
  });

  it('lists calls by status and start date, newest first', async () => {
    const { number, own } = await tenant();
    const first = await sandbox().inboundCall({ to: number.phoneNumber });
    await sandbox().completeCall(first.callSid, { answeredSeconds: 3 });
    const live = await sandbox().inboundCall({ to: number.phoneNumber });
    expect((await own.calls.list({ status: 'ringing' })).map((c) => c.sid)).toEqual([live.callSid]);
    const today = new Date(new Date().toISOString().slice(0, 10));
    const started = await own.calls.list({ startTimeAfter: today, parentCallSid: undefined });
    expect(started.map((c) => c.sid)).toContain(first.callSid);
    expect(await own.calls.list({ startTimeBefore: new Date('2020-01-01') })).toEqual([]);
  });
});
