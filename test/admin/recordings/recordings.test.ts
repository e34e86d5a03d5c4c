/**
 * Recordings, voicemail and call history, in-process: the sandbox plays whole calls (answered and
 * recorded, unanswered into voicemail, a browser's call out) against the voice Functions, then the
 * admin functions list, play (through the signed link), delete and apply retention, and the test
 * receiver gets each call event signed.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { loadConfig } from '../../../src/config/config';
import { signMediaLink, MEDIA_LINK_SECONDS } from '../../../src/admin/recordings/media-link';
import { handler as connect } from '../../../src/functions/admin/accounts/connect';
import { handler as disconnect } from '../../../src/functions/admin/accounts/disconnect';
import { handler as listCalls } from '../../../src/functions/admin/calls/list';
import { handler as deleteRecording } from '../../../src/functions/admin/recordings/delete';
import { handler as getRecording } from '../../../src/functions/admin/recordings/get';
import { handler as listRecordings } from '../../../src/functions/admin/recordings/list';
import { handler as check } from '../../../src/functions/admin/subaccounts/check';
import { handler as getSubaccount } from '../../../src/functions/admin/subaccounts/get';
import { handler as update } from '../../../src/functions/admin/subaccounts/update';
import { handler as recordingMedia } from '../../../src/functions/recording-media';
import type { FunctionHandler } from '../../../src/http/json-function';
import { startEventReceiver, type EventReceiver } from '../../helpers/event-receiver';
import { invokeFunction } from '../../../testkit/function-runtime';
import { startInProcessVoice, type InProcessVoice } from '../../helpers/in-process-voice';
import {
  provisionTenant,
  sandboxEnv,
  updateTenantRecord,
  type ProvisionedTenant,
} from '../../../testkit/provision-tenant';
import { placeThreeCalls, type ThreeCalls } from '../../helpers/simulated-calls';
import { adminKeyOf, serviceEnv } from '../../../testkit/service-env';

let sandbox: Sandbox;
let voice: InProcessVoice;
let receiver: EventReceiver;
let env: Record<string, string>;
let tenant: ProvisionedTenant;
const secret = randomBytes(24).toString('hex');
let calls: ThreeCalls;
const answers: string[] = [];

const admin = async (handler: FunctionHandler, body: Record<string, unknown>) => {
  const answer = await invokeFunction(handler, {
    env,
    body,
    headers: { authorization: `Bearer ${adminKeyOf(env)}` },
  });
  answers.push(answer.text);
  return answer;
};

interface RecordingItem {
  sid: string;
  callSid: string;
  kind: string;
  source: string;
  channels: number;
  durationSeconds: number;
  price: string;
}

beforeAll(async () => {
  sandbox = await startSandbox();
  voice = await startInProcessVoice();
  receiver = await startEventReceiver(secret);
  env = sandboxEnv(
    sandbox,
    serviceEnv({
      PUBLIC_BASE_URL: voice.url,
      EVENTS_WEBHOOK_URL: receiver.url,
      EVENTS_WEBHOOK_SECRET: secret,
    }),
  );
  voice.use(env);
  tenant = await provisionTenant(sandbox, env);
  await updateTenantRecord(env, tenant, {
    recording: true,
    inboundRouting: { [tenant.numbers[0] as string]: ['bob'] },
  });
  // An App made before call.completed came from its StatusCallback: check finds it, repair sets it.
  const app = sandbox.state.applications.find((candidate) => candidate.sid === tenant.twimlAppSid);
  if (app) app.statusCallback = null;
  const repaired = await admin(check, { subaccountSid: tenant.sid, repair: true });
  expect(repaired.json<{ drift: { code: string }[] }>().drift.map((d) => d.code)).toContain(
    'twiml_app_status_callback',
  );

  calls = await placeThreeCalls(sandbox, tenant, { answered: 42, voicemail: 7, outgoing: 65 });
}, 60_000);

afterAll(async () => {
  await receiver.close();
  await voice.close();
  await sandbox.close();
});

afterEach(() => {
  expect(sandbox.specViolations()).toEqual([]);
});

describe('recordings and voicemail', () => {
  it('recordings/list finds the call recordings and the voicemail, filtered by kind and call', async () => {
    const all = (await admin(listRecordings, { subaccountSid: tenant.sid })).json<{
      recordings: RecordingItem[];
    }>();
    expect(all.recordings).toHaveLength(3);
    const voicemail = (await admin(listRecordings, { subaccountSid: tenant.sid, kind: 'voicemail' })).json<{
      recordings: RecordingItem[];
    }>().recordings;
    expect(voicemail).toEqual([
      expect.objectContaining({
        callSid: calls.voicemail,
        kind: 'voicemail',
        source: 'RecordVerb',
        channels: 1,
        durationSeconds: 7,
        price: '-0.00250',
      }),
    ]);
    const recorded = (
      await admin(listRecordings, { subaccountSid: tenant.sid, kind: 'call', callSid: calls.outgoing })
    ).json<{ recordings: RecordingItem[] }>().recordings;
    expect(recorded).toEqual([
      expect.objectContaining({
        kind: 'call',
        source: 'DialVerb',
        channels: 2,
        durationSeconds: 65,
        price: '-0.00500',
      }),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const dated = await admin(listRecordings, {
      subaccountSid: tenant.sid,
      startDate: today,
      endDate: today,
    });
    expect(dated.json<{ recordings: unknown[] }>().recordings).toHaveLength(3);
    const before = await admin(listRecordings, { subaccountSid: tenant.sid, endDate: '2020-01-01' });
    expect(before.json<{ recordings: unknown[] }>().recordings).toHaveLength(0);
  });

  it('recordings/get gives a link that plays the audio without Twilio credentials', async () => {
    const [recording] = (
      await admin(listRecordings, { subaccountSid: tenant.sid, callSid: calls.answered })
    ).json<{ recordings: RecordingItem[] }>().recordings;
    const got = await admin(getRecording, { subaccountSid: tenant.sid, recordingSid: recording?.sid });
    const { media } = got.json<{ media: { url: string; expiresAt: string } }>();
    const link = new URL(media.url);
    expect(link.origin + link.pathname).toBe(`${voice.url}/recording-media`);
    expect(Date.parse(media.expiresAt) - Date.now()).toBeGreaterThan((MEDIA_LINK_SECONDS - 60) * 1000);
    const played = await invokeFunction(recordingMedia, {
      env,
      query: Object.fromEntries(link.searchParams),
    });
    expect(played.statusCode).toBe(200);
    expect(played.headers['Content-Type']).toBe('audio/wav');
    expect(played.headers['X-Content-Type-Options']).toBe('nosniff');
    const wav = played.bytes as Buffer;
    expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(wav.readUInt16LE(22)).toBe(2);
  });

  it('the link is refused once tampered with or expired, naming no secret', async () => {
    const [recording] = (await admin(listRecordings, { subaccountSid: tenant.sid })).json<{
      recordings: RecordingItem[];
    }>().recordings;
    const sid = recording?.sid as string;
    const good = new URL(signMediaLink(loadConfig(env), tenant.sid, sid, new Date()).url);
    const other = [...sid.slice(0, -1), sid.endsWith('0') ? '1' : '0'].join('');
    const expired = new URL(
      signMediaLink(loadConfig(env), tenant.sid, sid, new Date(Date.now() - (MEDIA_LINK_SECONDS + 1) * 1000))
        .url,
    );
    const forgedKey = new URL(
      signMediaLink(
        loadConfig({ ...env, REGISTRY_ENCRYPTION_KEY: randomBytes(32).toString('hex') }),
        tenant.sid,
        sid,
        new Date(),
      ).url,
    );
    const tries = [
      { ...Object.fromEntries(good.searchParams), recordingSid: other },
      {
        ...Object.fromEntries(good.searchParams),
        expires: String(Number(good.searchParams.get('expires')) + 3600),
      },
      Object.fromEntries(expired.searchParams),
      Object.fromEntries(forgedKey.searchParams),
      { subaccountSid: tenant.sid, recordingSid: sid },
    ];
    for (const query of tries) {
      const rejected = await invokeFunction(recordingMedia, { env, query });
      expect(rejected.statusCode).toBe(403);
      expect(rejected.json()).toMatchObject({ error: { code: 'link_invalid' } });
    }
  });

  it('generated link queries are all rejected with 403, never a 5xx, a stack trace or a secret', async () => {
    const field = fc.constantFrom('subaccountSid', 'recordingSid', 'expires', 'signature', '__proto__');
    const value = fc.oneof(
      fc.string(),
      fc.constant(tenant.sid),
      fc.array(fc.string()),
      fc.object(),
      fc.nat(),
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(field, value), async (query) => {
        const answer = await invokeFunction(recordingMedia, { env, query });
        expect(answer.statusCode).toBe(403);
        expect(answer.text).not.toMatch(/ at .*\.(ts|js):\d+/);
        expect(answer.text).not.toContain(env.AUTH_TOKEN as string);
      }),
      { numRuns: 200 },
    );
  });

  it('recordings/delete removes it on Twilio, and again answers that it is gone', async () => {
    const [recording] = (await admin(listRecordings, { subaccountSid: tenant.sid, kind: 'voicemail' })).json<{
      recordings: RecordingItem[];
    }>().recordings;
    const sid = recording?.sid as string;
    const link = new URL(
      (await admin(getRecording, { subaccountSid: tenant.sid, recordingSid: sid })).json<{
        media: { url: string };
      }>().media.url,
    );
    const first = await admin(deleteRecording, { subaccountSid: tenant.sid, recordingSid: sid });
    expect(first.json()).toMatchObject({ deleted: true, gone: true });
    expect(sandbox.state.recordings.some((r) => r.sid === sid)).toBe(false);
    const again = await admin(deleteRecording, { subaccountSid: tenant.sid, recordingSid: sid });
    expect(again.json()).toMatchObject({ deleted: false, gone: true });
    const gone = await admin(getRecording, { subaccountSid: tenant.sid, recordingSid: sid });
    expect(gone.statusCode).toBe(404);
    const played = await invokeFunction(recordingMedia, {
      env,
      query: Object.fromEntries(link.searchParams),
    });
    expect(played.statusCode).toBe(404);
  });
});

describe('call history', () => {
  interface CallItem {
    sid: string;
    parentCallSid: string | null;
    from: string;
    to: string;
    identity: string | null;
    direction: string;
    durationSeconds: number | null;
    status: string;
    price: string | null;
    recordingSids: string[];
  }

  it('calls/list shows the calls with duration, price, identity and recording SIDs, in three requests', async () => {
    const requestsBefore = sandbox.countRequests();
    const page = (await admin(listCalls, { subaccountSid: tenant.sid })).json<{
      calls: CallItem[];
      recordingSidsComplete: boolean;
    }>();
    // Registry read, Calls page, Recordings page: never one request per call.
    expect(sandbox.countRequests() - requestsBefore).toBeLessThanOrEqual(3);
    expect(page.recordingSidsComplete).toBe(true);
    const bySid = new Map(page.calls.map((call) => [call.sid, call]));
    expect(bySid.get(calls.outgoing)).toMatchObject({
      from: 'client:alice',
      to: '+14155550199',
      identity: 'alice',
      direction: 'inbound',
      status: 'completed',
      durationSeconds: 65,
      price: '-0.00800',
      recordingSids: [expect.stringMatching(/^RE/)],
    });
    expect(bySid.get(calls.answered)).toMatchObject({
      from: '+14155550100',
      durationSeconds: 42,
      price: '-0.00850',
      recordingSids: [expect.stringMatching(/^RE/)],
    });
    expect(bySid.get(calls.voicemail)).toMatchObject({ durationSeconds: 7, status: 'completed' });
    const legs = (await admin(listCalls, { subaccountSid: tenant.sid, direction: 'outbound-dial' })).json<{
      calls: CallItem[];
    }>().calls;
    expect(legs.map((leg) => [leg.to, leg.parentCallSid, leg.durationSeconds, leg.price]).sort()).toEqual(
      [
        ['+14155550199', calls.outgoing, 65, '-0.02800'],
        ['client:bob', calls.answered, 42, '-0.00400'],
      ].sort(),
    );
    const busy = await admin(listCalls, { subaccountSid: tenant.sid, status: 'busy' });
    expect(busy.json<{ calls: unknown[] }>().calls).toEqual([]);
  });
});

describe('call events', () => {
  it('each call posts one signed call.completed with its duration; recordings post their own events', () => {
    const completed = receiver.ofType('call.completed');
    expect(completed.every((got) => got.verified)).toBe(true);
    expect(completed.map((got) => got.event.data)).toEqual([
      expect.objectContaining({
        callSid: calls.answered,
        direction: 'inbound',
        callStatus: 'completed',
        durationSeconds: 42,
      }),
      expect.objectContaining({ callSid: calls.voicemail, direction: 'inbound', durationSeconds: 7 }),
      expect.objectContaining({
        callSid: calls.outgoing,
        direction: 'outgoing',
        identity: 'alice',
        to: '+14155550199',
        durationSeconds: 65,
        price: null,
      }),
    ]);
    expect(
      receiver.ofType('voicemail.recorded').map((got) => [got.verified, got.event.data.callSid]),
    ).toEqual([[true, calls.voicemail]]);
    expect(
      receiver.ofType('recording.completed').map((got) => [got.verified, got.event.data.callSid]),
    ).toEqual([
      [true, calls.answered],
      [true, calls.outgoing],
    ]);
  });
});

describe('recording retention', () => {
  it('check reports recordings past recordingRetentionDays, and repair deletes them', async () => {
    const updated = await admin(update, { subaccountSid: tenant.sid, recordingRetentionDays: 30 });
    expect(updated.json()).toMatchObject({ subaccount: { recordingRetentionDays: 30 } });
    const got = await admin(getSubaccount, { subaccountSid: tenant.sid });
    expect(got.json()).toMatchObject({ subaccount: { recordingRetentionDays: 30 } });
    const old = sandbox.state.recordings.find((r) => r.callSid === calls.answered);
    if (!old) throw new Error('no recording of the answered call');
    old.dateCreated = new Date(Date.now() - 40 * 86_400_000).toISOString();

    const report = await admin(check, { subaccountSid: tenant.sid });
    expect(report.json()).toMatchObject({
      inStep: false,
      drift: [{ code: 'recordings_past_retention', message: expect.stringContaining(old.sid) }],
    });
    expect(sandbox.state.recordings.some((r) => r.sid === old.sid)).toBe(true);

    const repaired = await admin(check, { subaccountSid: tenant.sid, repair: true });
    expect(repaired.json()).toMatchObject({
      drift: [
        { code: 'recordings_past_retention', repaired: true, message: expect.stringContaining(old.sid) },
      ],
    });
    expect(sandbox.state.recordings.some((r) => r.sid === old.sid)).toBe(false);
    expect(sandbox.state.recordings).toHaveLength(1);
    expect((await admin(check, { subaccountSid: tenant.sid })).json()).toMatchObject({
      inStep: true,
      drift: [],
    });

    const rejected = await admin(update, { subaccountSid: tenant.sid, recordingRetentionDays: 0 });
    expect(rejected.statusCode).toBe(400);
    const cleared = await admin(update, { subaccountSid: tenant.sid, recordingRetentionDays: null });
    expect(cleared.json()).toMatchObject({ subaccount: { recordingRetentionDays: null } });
  });

  it('no answer carries a Twilio credential or a Twilio media URL', () => {
    const text = answers.join('\n');
    expect(text).not.toContain(env.AUTH_TOKEN as string);
    expect(text).not.toContain(tenant.authToken);
    expect(text).not.toContain('api.twilio.com');
  });
});

describe("a connected account's recordings", () => {
  it('are listed, linked, played and deleted with its own credentials, which the main ones cannot stand in for', async () => {
    // A customer's own account, under no account of ours: Twilio answers our main credentials there with 401.
    const customer = sandbox.createIndependentAccount({ friendlyName: 'Own Account Co' });
    const line = sandbox.state.incomingPhoneNumbers.find((number) => number.accountSid === customer.sid);
    if (!line) throw new Error('the sandbox made the account without a number');
    const connected = await admin(connect, {
      accountSid: customer.sid,
      authToken: customer.authToken,
      phoneNumberSids: [line.sid],
    });
    expect(connected.statusCode).toBe(201);
    await admin(update, {
      subaccountSid: customer.sid,
      recording: true,
      inboundRouting: { [line.phoneNumber]: ['carol'] },
    });
    const call = await sandbox.inboundCall({ to: line.phoneNumber, from: '+14155550142' });
    await sandbox.completeCall(call.callSid, { answeredSeconds: 4 });
    const made = sandbox.state.recordings.filter((recording) => recording.accountSid === customer.sid);
    expect(made).toHaveLength(1);
    // Requests on the account's resources, and whose credentials each one carried.
    const onAccount = () =>
      sandbox
        .requests()
        .filter((request) => request.path.includes(`/Accounts/${customer.sid}/`))
        .map((request) => ({ path: request.path, as: request.accountSid, status: request.status }));

    const listed = await admin(listRecordings, { subaccountSid: customer.sid });
    expect(listed.statusCode).toBe(200);
    const [recording] = listed.json<{ recordings: RecordingItem[] }>().recordings;
    expect([recording?.sid, recording?.callSid]).toEqual([made[0]?.sid, call.callSid]);

    const got = await admin(getRecording, { subaccountSid: customer.sid, recordingSid: recording?.sid });
    expect(got.statusCode).toBe(200);
    const link = new URL(got.json<{ media: { url: string } }>().media.url);
    const played = await invokeFunction(recordingMedia, {
      env,
      query: Object.fromEntries(link.searchParams),
    });
    expect(played.statusCode).toBe(200);
    expect(played.headers['Content-Type']).toBe('audio/wav');
    expect((played.bytes as Buffer).subarray(0, 4).toString('ascii')).toBe('RIFF');
    // The media was fetched as the account itself, as Twilio requires of an account not under ours.
    expect(onAccount().filter((request) => request.path.endsWith(`${recording?.sid}.wav`))).toEqual([
      { path: expect.any(String), as: customer.sid, status: 200 },
    ]);

    // Its owner changes the token: the link says what to do, naming no credential.
    const held = customer.authToken;
    const account = sandbox.state.accounts.find((candidate) => candidate.sid === customer.sid);
    if (account) account.authToken = 'e'.repeat(32);
    const rejected = await invokeFunction(recordingMedia, {
      env,
      query: Object.fromEntries(link.searchParams),
    });
    expect([rejected.statusCode, rejected.json<{ error: { code: string } }>().error.code]).toEqual([
      502,
      'twilio_credentials_refused',
    ]);
    expect(rejected.text).not.toContain(held);
    if (account) account.authToken = held;

    const deleted = await admin(deleteRecording, {
      subaccountSid: customer.sid,
      recordingSid: recording?.sid,
    });
    expect(deleted.json()).toMatchObject({ deleted: true });
    expect(sandbox.state.recordings.some((candidate) => candidate.sid === recording?.sid)).toBe(false);
    // Not one request reached the account as another account (the one refused above carried its old token).
    expect(onAccount().filter((request) => request.as !== null && request.as !== customer.sid)).toEqual([]);
    expect(answers.join('\n')).not.toContain(customer.authToken);

    // Disconnected, its token is gone: its recordings are refused in a sentence, with no request to it.
    await admin(disconnect, { accountSid: customer.sid, confirm: customer.sid });
    const before = onAccount().length;
    const refused = await admin(listRecordings, { subaccountSid: customer.sid });
    expect([refused.statusCode, refused.json<{ error: { code: string } }>().error.code]).toEqual([
      409,
      'account_disconnected',
    ]);
    expect(onAccount()).toHaveLength(before);
  });
});
