/**
 * End to end over HTTP: dist/ served by twilio-run against the sandbox. A subaccount made by the create
 * function takes a recorded inbound call, an unanswered one into voicemail and a browser's call out,
 * played by the sandbox to the end; the admin functions then find the recordings and calls, the signed
 * link plays the audio to a caller holding no credential, delete removes it on Twilio, and the event
 * receiver gets each event signed.
 */
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../../sandbox';
import { postAdmin } from '../../testkit/admin-http';
import { startEventReceiver, type EventReceiver } from '../helpers/event-receiver';
import { startLocalService, type LocalService } from '../../testkit/local-service';
import { adminKeyOf } from '../../testkit/service-env';
import { provisionTenant, updateTenantRecord, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { placeThreeCalls, type ThreeCalls } from '../helpers/simulated-calls';

let local: LocalService;
let sandbox: Sandbox;
let receiver: EventReceiver;
let tenant: ProvisionedTenant;
const secret = randomBytes(24).toString('hex');
let calls: ThreeCalls;

const admin = (path: `/admin/${string}`, body: Record<string, unknown>) =>
  postAdmin(local.service.url, path, body, { Authorization: `Bearer ${adminKeyOf(local.env)}` });

beforeAll(async () => {
  receiver = await startEventReceiver(secret);
  local = await startLocalService({ EVENTS_WEBHOOK_URL: receiver.url, EVENTS_WEBHOOK_SECRET: secret });
  sandbox = local.sandbox;
  tenant = await provisionTenant(sandbox, local.env);
  await updateTenantRecord(local.env, tenant, {
    recording: true,
    inboundRouting: { [tenant.numbers[0] as string]: ['bob'] },
  });

  calls = await placeThreeCalls(sandbox, tenant, { answered: 20, voicemail: 4, outgoing: 12 });
}, 90_000);

afterAll(async () => {
  await local?.stop();
  await receiver?.close();
});

afterEach(() => {
  expect(sandbox.specViolations()).toEqual([]);
});

it('recordings/list finds both kinds; the signed link plays the audio without credentials; delete removes it', async () => {
  const listed = await admin('/admin/recordings/list', { subaccountSid: tenant.sid });
  expect(listed.status).toBe(200);
  const kinds = (listed.body.recordings as { kind: string; callSid: string }[]).map((r) => [
    r.callSid,
    r.kind,
  ]);
  expect(kinds.sort()).toEqual(
    [
      [calls.answered, 'call'],
      [calls.voicemail, 'voicemail'],
      [calls.outgoing, 'call'],
    ].sort(),
  );
  const voicemail = await admin('/admin/recordings/list', { subaccountSid: tenant.sid, kind: 'voicemail' });
  const sid = voicemail.body.recordings[0].sid as string;
  const got = await admin('/admin/recordings/get', { subaccountSid: tenant.sid, recordingSid: sid });
  const link = got.body.media.url as string;
  expect(link.startsWith(`${local.service.url}/recording-media?`)).toBe(true);

  const played = await fetch(link);
  expect(played.status).toBe(200);
  expect(played.headers.get('content-type')).toBe('audio/wav');
  const wav = Buffer.from(await played.arrayBuffer());
  expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
  expect(wav.readUInt16LE(22)).toBe(1);
  expect(wav.readUInt32LE(40)).toBe(4 * 8000 * 2);

  const tampered = await fetch(link.replace(/signature=[^&]+/, 'signature=AAAA'));
  expect(tampered.status).toBe(403);
  expect(await tampered.json()).toMatchObject({ error: { code: 'link_invalid' } });

  const deleted = await admin('/admin/recordings/delete', { subaccountSid: tenant.sid, recordingSid: sid });
  expect(deleted.body).toMatchObject({ deleted: true, gone: true });
  expect(sandbox.state.recordings.some((r) => r.sid === sid)).toBe(false);
  expect(
    (await admin('/admin/recordings/delete', { subaccountSid: tenant.sid, recordingSid: sid })).body,
  ).toMatchObject({
    deleted: false,
  });
  expect((await fetch(link)).status).toBe(404);
  const text = JSON.stringify([listed.body, got.body, deleted.body]);
  expect(text).not.toContain(local.env.AUTH_TOKEN as string);
  expect(text).not.toContain('api.twilio.com');
});

it('calls/list shows the calls with duration, price and recording SIDs', async () => {
  const page = await admin('/admin/calls/list', { subaccountSid: tenant.sid, direction: 'inbound' });
  expect(page.status).toBe(200);
  const bySid = new Map((page.body.calls as { sid: string }[]).map((call) => [call.sid, call]));
  expect(bySid.get(calls.outgoing)).toMatchObject({
    identity: 'alice',
    durationSeconds: 12,
    price: '-0.00400',
  });
  expect(bySid.get(calls.answered)).toMatchObject({
    durationSeconds: 20,
    recordingSids: [expect.any(String)],
  });
  expect(bySid.get(calls.voicemail)).toMatchObject({ durationSeconds: 4, status: 'completed' });
});

it('the receiver gets a correctly signed event for each kind', () => {
  const got = receiver.received.map((event) => [event.event.type, event.verified, event.event.data.callSid]);
  expect(got).toEqual(
    expect.arrayContaining([
      ['recording.completed', true, calls.answered],
      ['call.completed', true, calls.answered],
      ['voicemail.recorded', true, calls.voicemail],
      ['call.completed', true, calls.voicemail],
      ['recording.completed', true, calls.outgoing],
      ['call.completed', true, calls.outgoing],
    ]),
  );
  expect(receiver.ofType('call.completed')).toHaveLength(3);
  expect(receiver.ofType('call.completed')[2]?.event.data).toMatchObject({
    direction: 'outgoing',
    identity: 'alice',
  });
});
