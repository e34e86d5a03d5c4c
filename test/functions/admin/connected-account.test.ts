/**
 * A customer's own Twilio account, end to end over HTTP: dist/ served by twilio-run against the sandbox,
 * where the account is made outside our main account (reached only with its own SID and token). Connect
 * it, take an inbound call and a browser call through it (the browser's part played by the sandbox's
 * simulated client call, sandbox/calls/client-call.ts, with a token from /token), read its usage and
 * recordings; its owner rotates the token in their Console: calls are refused with the sentence that
 * says to update the credentials, check reports it, the event is sent once; update the
 * credentials: calls work again; disconnect: its number's voice setting is back, our App and key gone.
 * And what must be refused with nothing made: a wrong token, a subaccount of ours, our main account.
 */
import { randomBytes } from 'node:crypto';
import { findVerb, type Sandbox, type TwimlNode } from '../../../sandbox';
import { CREDENTIALS_REJECTED_SPEECH } from '../../../src/connected/voice-refusal';
import { mintTicket } from '../../../src/tokens/mint-ticket';
import { postAdmin } from '../../../testkit/admin-http';
import { startEventReceiver, type EventReceiver } from '../../helpers/event-receiver';
import { startLocalService, type LocalService } from '../../../testkit/local-service';
import { adminKeyOf } from '../../../testkit/service-env';
import { clientIdentities } from '../../../testkit/twiml';

let local: LocalService;
let sandbox: Sandbox;
let receiver: EventReceiver;
const secret = randomBytes(24).toString('hex');

const admin = (path: `/admin/${string}`, body: Record<string, unknown>) =>
  postAdmin(local.service.url, path, body, { Authorization: `Bearer ${adminKeyOf(local.env)}` });

beforeAll(async () => {
  receiver = await startEventReceiver(secret);
  local = await startLocalService({ EVENTS_WEBHOOK_URL: receiver.url, EVENTS_WEBHOOK_SECRET: secret });
  sandbox = local.sandbox;
}, 90_000);

afterAll(async () => {
  await local?.stop();
  await receiver?.close();
});

afterEach(() => {
  expect(sandbox.specViolations()).toEqual([]);
});

/** What our service has made anywhere in the sandbox: every key and App. */
const made = () => ({ keys: sandbox.state.keys.length, apps: sandbox.state.applications.length });

async function token(accountSid: string, identity: string) {
  const ticket = mintTicket(local.env.TOKEN_TICKET_SECRET as string, { identity, accountSid });
  const response = await fetch(`${local.service.url}/token`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ticket}` },
  });
  return { status: response.status, body: (await response.json()) as { token: string } };
}

const dialOf = (call: { response: TwimlNode | null }) =>
  call.response ? findVerb(call.response, 'Dial') : undefined;
const said = (twiml: string | undefined) => /<Say>([^<]*)<\/Say>/.exec(twiml ?? '')?.[1];

it('refuses a wrong token, a subaccount of ours and our main account, making nothing', async () => {
  const customer = sandbox.createIndependentAccount({ friendlyName: 'Someone' });
  const ours = sandbox.createAccount({ ownerAccountSid: local.env.ACCOUNT_SID, friendlyName: 'Ours' });
  const before = made();

  const wrong = await admin('/admin/accounts/connect', {
    accountSid: customer.sid,
    authToken: 'f'.repeat(32),
  });
  expect(wrong.status).toBe(400);
  expect(wrong.body.error).toMatchObject({ code: 'credentials_rejected', twilioCode: 20003 });

  const sub = await admin('/admin/accounts/connect', { accountSid: ours.sid, authToken: ours.authToken });
  expect([sub.status, sub.body.error.code]).toEqual([409, 'subaccount_of_ours']);

  const main = await admin('/admin/accounts/connect', {
    accountSid: local.env.ACCOUNT_SID,
    authToken: local.env.AUTH_TOKEN,
  });
  expect([main.status, main.body.error.code]).toEqual([409, 'account_is_main']);

  const dry = await admin('/admin/accounts/connect', {
    accountSid: customer.sid,
    authToken: customer.authToken,
    dryRun: true,
  });
  expect(dry.status).toBe(200);
  expect(dry.body.plan).toMatchObject({ apiKey: 'create', twimlApp: { action: 'create' } });
  expect(made()).toEqual(before);
  expect((await admin('/admin/subaccounts/get', { subaccountSid: customer.sid })).status).toBe(404);
});

it('serves a connected account with its own credentials, through a token rotation, to its disconnect', async () => {
  const customer = sandbox.createIndependentAccount({ friendlyName: 'Harbor Clinic' });
  const line = sandbox.state.incomingPhoneNumbers.find((n) => n.accountSid === customer.sid);
  if (!line) throw new Error('the account has no number');
  // Where the customer's number rang before it was connected: disconnect must put it back.
  line.voiceUrl = 'https://harbor.example/voice';
  const numberNow = () => sandbox.state.incomingPhoneNumbers.find((n) => n.sid === line.sid) ?? line;

  const connect = {
    accountSid: customer.sid,
    authToken: customer.authToken,
    friendlyName: 'Harbor Clinic',
    phoneNumberSids: [line.sid],
    idempotencyKey: 'harbor-connect-1',
  };
  const connected = await admin('/admin/accounts/connect', connect);
  expect(connected.status).toBe(201);
  expect(connected.body.account).toMatchObject({ kind: 'connected', status: 'active' });
  const app = sandbox.state.applications.find((a) => a.accountSid === customer.sid);
  expect(app?.voiceUrl).toBe(`${local.service.url}/voice`);
  expect(sandbox.state.keys.filter((k) => k.accountSid === customer.sid)).toHaveLength(1);
  expect(numberNow().voiceApplicationSid).toBe(app?.sid);
  // The main credentials never reached it: Twilio would have refused them (20003).
  expect(
    sandbox
      .requests({ accountSid: customer.sid, credentialKind: 'main' })
      .every((r) => (r.status ?? 0) < 400),
  ).toBe(true);
  const replay = await admin('/admin/accounts/connect', connect);
  expect([replay.status, replay.body.replayed]).toEqual([200, true]);

  const routed = await admin('/admin/subaccounts/update', {
    subaccountSid: customer.sid,
    inboundRouting: { [line.phoneNumber]: ['alice'] },
    recording: true,
  });
  expect(routed.status).toBe(200);

  // An inbound call and a browser call, through the account's own App.
  const inbound = await sandbox.inboundCall({ to: line.phoneNumber, from: '+14155550100' });
  expect(clientIdentities(dialOf(inbound))).toEqual(['alice']);
  await sandbox.completeCall(inbound.callSid, { answeredSeconds: 30 });
  const issued = await token(customer.sid, 'alice');
  expect(issued.status).toBe(200);
  const outgoing = await sandbox.outgoingClientCall({ token: issued.body.token, to: '+14155550199' });
  expect(dialOf(outgoing)?.children[0]?.name).toBe('Number');
  await sandbox.completeCall(outgoing.callSid, { answeredSeconds: 12 });

  const today = new Date().toISOString().slice(0, 10);
  const usage = await admin('/admin/usage', {
    subaccountSid: customer.sid,
    startDate: today,
    endDate: today,
  });
  expect(usage.status).toBe(200);
  expect(usage.body.billedTo).toBe('own-account');
  expect(Number(usage.body.cost)).toBeGreaterThan(0);
  const recordings = await admin('/admin/recordings/list', { subaccountSid: customer.sid });
  expect(recordings.status).toBe(200);
  expect((recordings.body.recordings as { callSid: string }[]).map((r) => r.callSid).sort()).toEqual(
    [inbound.callSid, outgoing.callSid].sort(),
  );

  // Its owner rotates the auth token in their Console.
  const rotated = await fetch(`${sandbox.baseUrl}/__sandbox/accounts/${customer.sid}/auth-token`, {
    method: 'POST',
  });
  const newToken = ((await rotated.json()) as { authToken: string }).authToken;
  const refused = await sandbox.inboundCall({ to: line.phoneNumber, from: '+14155550100' });
  expect(said(refused.twiml)).toBe(CREDENTIALS_REJECTED_SPEECH);
  // /token reads the refusal from its own registry copy (at most 30 s old: registry/tenant-cache.ts);
  // test/tokens/connected-token.test.ts holds its answer.
  const checked = await admin('/admin/subaccounts/check', { subaccountSid: customer.sid });
  expect(checked.body.drift.map((d: { code: string }) => d.code)).toEqual(['credentials_rejected']);
  expect(receiver.ofType('account.credentials_rejected')).toHaveLength(1);
  // Not ours to do on someone else's account.
  const suspend = await admin('/admin/subaccounts/suspend', { subaccountSid: customer.sid });
  expect([suspend.status, suspend.body.error.code]).toEqual([409, 'not_allowed_for_connected_account']);

  // The admin enters the new token: calls work again.
  const stale = await admin('/admin/accounts/update-credentials', {
    accountSid: customer.sid,
    authToken: customer.authToken,
  });
  expect([stale.status, stale.body.error.code]).toEqual([400, 'credentials_rejected']);
  const updated = await admin('/admin/accounts/update-credentials', {
    accountSid: customer.sid,
    authToken: newToken,
  });
  expect(updated.status).toBe(200);
  expect(updated.body.account.connection.credentialsRejected).toBeNull();
  const again = await sandbox.inboundCall({ to: line.phoneNumber, from: '+14155550100' });
  expect(clientIdentities(dialOf(again))).toEqual(['alice']);
  expect((await token(customer.sid, 'alice')).status).toBe(200);
  const inStep = await admin('/admin/subaccounts/check', { subaccountSid: customer.sid });
  expect(inStep.body.drift).toEqual([]);

  // Disconnect: the number rings where it did before; our App and key are gone; nothing else changed.
  const unconfirmed = await admin('/admin/accounts/disconnect', { accountSid: customer.sid, confirm: 'yes' });
  expect(unconfirmed.status).toBe(400);
  const disconnected = await admin('/admin/accounts/disconnect', {
    accountSid: customer.sid,
    confirm: customer.sid,
  });
  expect(disconnected.status).toBe(200);
  expect(disconnected.body.account.status).toBe('disconnected');
  expect(disconnected.body.numbersRestored).toEqual([{ sid: line.sid, phoneNumber: line.phoneNumber }]);
  expect([numberNow().voiceUrl, numberNow().voiceApplicationSid]).toEqual([
    'https://harbor.example/voice',
    null,
  ]);
  expect(sandbox.state.applications.filter((a) => a.accountSid === customer.sid)).toEqual([]);
  expect(sandbox.state.keys.filter((k) => k.accountSid === customer.sid)).toEqual([]);
  expect(sandbox.state.accounts.find((a) => a.sid === customer.sid)?.status).toBe('active');
  // No test call through an account this service no longer serves.
  const ticket = await admin('/admin/accounts/test-call-ticket', { accountSid: customer.sid });
  expect([ticket.status, ticket.body.error.code]).toEqual([409, 'subaccount_not_active']);
}, 120_000);
