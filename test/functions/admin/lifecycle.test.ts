/**
 * The main admin chain over HTTP: twilio-run serving dist/ against the sandbox, checking after each step
 * that the sandbox (Twilio's state) is what an admin would expect.
 */
import { readFileSync } from 'node:fs';
import { findVerb, startSandbox, type Sandbox } from '../../../sandbox';
import { OPENAPI_PATH } from '../../../testkit/admin-contract';
import { postAdmin } from '../../../testkit/admin-http';
import { adminCli } from '../../helpers/admin-cli';
import { sandboxClient } from '../../helpers/sandbox';
import { serveDist, type ServedService } from '../../../testkit/twilio-run-server';
import { clientIdentities } from '../../../testkit/twiml';
import { adminKeyOf, serviceEnv } from '../../../testkit/service-env';

let sandbox: Sandbox;
let service: ServedService;
let env: Record<string, string>;
let mainSid: string;
let phoneNumbers: { sid: string; phoneNumber: string }[];

beforeAll(async () => {
  sandbox = await startSandbox();
  const seeded = sandbox.seed({ phoneNumbers: 3 });
  mainSid = seeded.accountSid;
  phoneNumbers = seeded.phoneNumbers;
  env = serviceEnv({
    ACCOUNT_SID: seeded.accountSid,
    AUTH_TOKEN: seeded.authToken,
    TWILIO_API_BASE_URL: sandbox.baseUrl,
  });
  delete env.PUBLIC_BASE_URL;
  service = await serveDist(env);
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await sandbox?.close();
});

// Answers are checked field by field against what each step should have done (and held to
// docs/openapi.json by postAdmin).
const admin = (path: string, body: Record<string, unknown>) =>
  postAdmin(service.url, `/admin/${path}`, body, { Authorization: `Bearer ${adminKeyOf(env)}` });
/** `npm run admin -- ...args` against the served service. */
const cli = (...args: string[]) => adminCli(args, { url: service.url, adminKey: adminKeyOf(env) });

const account = (sid: string) => sandbox.state.accounts.find((a) => a.sid === sid);
const number = (sid: string) => sandbox.state.incomingPhoneNumbers.find((n) => n.sid === sid);
const appOf = (sid: string) => sandbox.state.applications.find((a) => a.accountSid === sid);

describe('the subaccount lifecycle over HTTP', () => {
  let acme: string;
  let globex: string;
  const moved = () => phoneNumbers[0] ?? { sid: '', phoneNumber: '' };

  it('creates a subaccount with a moved number and a messaging service, once per idempotency key', async () => {
    const request = {
      friendlyName: 'Acme',
      idempotencyKey: 'acme-create-1',
      phoneNumberSid: moved().sid,
      messagingService: true,
    };
    const created = await admin('subaccounts/create', request);
    expect(created.status).toBe(201);
    acme = created.body.subaccount.sid;
    expect(account(acme)).toMatchObject({ ownerAccountSid: mainSid, friendlyName: 'Acme', status: 'active' });
    const app = appOf(acme);
    expect(app?.voiceUrl).toBe(`${service.url}/voice`);
    expect(number(moved().sid)).toMatchObject({ accountSid: acme, voiceApplicationSid: app?.sid });
    expect(sandbox.state.keys.filter((k) => k.accountSid === acme)).toHaveLength(1);
    const messaging = sandbox.state.messagingServices.find((s) => s.accountSid === acme);
    expect(sandbox.state.messagingPhoneNumbers.find((n) => n.sid === moved().sid)?.serviceSid).toBe(
      messaging?.sid,
    );
    expect(created.body.subaccount).toMatchObject({
      callerId: moved().phoneNumber,
      messagingServiceSid: messaging?.sid,
      // The default toll-fraud guard: the caller ID's country, and the risky types blocked.
      allowedCountries: ['US'],
      blockedNumberTypes: ['premium_rate', 'shared_cost', 'uan', 'personal_number', 'pager', 'unknown'],
    });
    expect(JSON.stringify(created.body)).not.toContain(
      sandbox.state.keys.find((k) => k.accountSid === acme)?.secret,
    );

    const again = await admin('subaccounts/create', request);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, subaccount: { sid: acme } });
    expect(sandbox.state.accounts.filter((a) => a.ownerAccountSid === mainSid)).toHaveLength(1);

    const second = await admin('subaccounts/create', {
      friendlyName: 'Globex',
      idempotencyKey: 'globex-create-1',
      allowedCountries: 'gb, US, gb',
      blockedNumberTypes: ['premium_rate'],
    });
    expect(second.status).toBe(201);
    expect(second.body.subaccount).toMatchObject({
      allowedCountries: ['GB', 'US'],
      blockedNumberTypes: ['premium_rate'],
    });
    globex = second.body.subaccount.sid;
  });

  it('gets the registry item with the live Twilio state, and lists with filters', async () => {
    const got = await admin('subaccounts/get', { subaccountSid: acme });
    expect(got.status).toBe(200);
    expect(got.body.live).toMatchObject({ status: 'active', friendlyName: 'Acme', apiKeyExists: true });
    expect(got.body.live.numbers).toEqual([expect.objectContaining({ sid: moved().sid })]);

    const all = await admin('subaccounts/list', {});
    expect(all.body.subaccounts.map((s: { sid: string }) => s.sid).sort()).toEqual([acme, globex].sort());
    const named = await admin('subaccounts/list', { name: 'glob' });
    expect(named.body.subaccounts.map((s: { sid: string }) => s.sid)).toEqual([globex]);
  });

  it('updates the name on Twilio too, and the routing', async () => {
    const updated = await admin('subaccounts/update', {
      subaccountSid: acme,
      friendlyName: 'Acme Corp',
      inboundRouting: { [moved().phoneNumber]: ['alice', 'bob'] },
      recording: true,
      voicemail: false,
      allowedCountries: ['US', 'CA'],
    });
    expect(updated.status).toBe(200);
    expect(account(acme)?.friendlyName).toBe('Acme Corp');
    expect(updated.body.subaccount).toMatchObject({
      friendlyName: 'Acme Corp',
      recording: true,
      voicemail: false,
      inboundRouting: { [moved().phoneNumber]: ['alice', 'bob'] },
      allowedCountries: ['US', 'CA'],
    });
  });

  it('suspends, ending the live calls Twilio leaves running, and reactivates', async () => {
    const live = sandbox.createCall({
      accountSid: acme,
      from: '+15005550006',
      to: moved().phoneNumber,
      status: 'in-progress',
    });
    const ringing = sandbox.createCall({
      accountSid: acme,
      from: '+15005550007',
      to: moved().phoneNumber,
      status: 'ringing',
    });
    const suspended = await admin('subaccounts/suspend', { subaccountSid: acme });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({
      callsEnded: 2,
      callsRemaining: 0,
      numbersStillBilling: 1,
      subaccount: { status: 'suspended' },
    });
    expect(account(acme)?.status).toBe('suspended');
    const status = (sid: string) => sandbox.state.calls.find((c) => c.sid === sid)?.status;
    expect([status(live.sid), status(ringing.sid)]).toEqual(['completed', 'canceled']);

    const reactivated = await admin('subaccounts/reactivate', { subaccountSid: acme });
    expect(reactivated.body.subaccount.status).toBe('active');
    expect(account(acme)?.status).toBe('active');
  });

  it('rotates the key, keeping the old one until its tokens have expired', async () => {
    const before = (await admin('subaccounts/get', { subaccountSid: acme })).body.subaccount.apiKeySid;
    const rotated = await admin('subaccounts/rotate-key', { subaccountSid: acme });
    expect(rotated.status).toBe(200);
    expect(rotated.body.retiringKeySid).toBe(before);
    const keys = sandbox.state.keys.filter((k) => k.accountSid === acme).map((k) => k.sid);
    expect(keys.sort()).toEqual([before, rotated.body.newKeySid].sort());
    const hours = (Date.parse(rotated.body.retireAfter) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(rotated.body.subaccount.retiringApiKeys).toEqual([
      { sid: before, retireAfter: rotated.body.retireAfter },
    ]);
  });

  it('checks the registry against Twilio and repairs drift', async () => {
    expect((await admin('subaccounts/check', { subaccountSid: acme })).body).toMatchObject({
      inStep: true,
      drift: [],
    });
    // The sandbox's state is plain data: this is drift made behind the service's back.
    Object.assign(appOf(acme) ?? {}, { voiceUrl: 'https://elsewhere.example.com/voice' });
    Object.assign(number(moved().sid) ?? {}, { voiceApplicationSid: null });
    const found = await admin('subaccounts/check', { subaccountSid: acme });
    expect(found.body.drift.map((d: { code: string }) => d.code).sort()).toEqual([
      'number_not_on_app',
      'twiml_app_voice_url',
    ]);
    expect(appOf(acme)?.voiceUrl).toBe('https://elsewhere.example.com/voice');

    const repaired = await admin('subaccounts/check', { subaccountSid: acme, repair: true });
    expect(repaired.body.drift.every((d: { repaired: boolean }) => d.repaired)).toBe(true);
    expect(appOf(acme)?.voiceUrl).toBe(`${service.url}/voice`);
    expect(number(moved().sid)?.voiceApplicationSid).toBe(appOf(acme)?.sid);
  });

  it('transfers a number between two subaccounts, re-pointed at the gaining App', async () => {
    const transferred = await admin('numbers/transfer', {
      phoneNumberSid: moved().sid,
      fromAccountSid: acme,
      toAccountSid: globex,
    });
    expect(transferred.status).toBe(200);
    expect(transferred.body.warnings[0]).toMatch(/opt-out/i);
    expect(number(moved().sid)).toMatchObject({
      accountSid: globex,
      voiceApplicationSid: appOf(globex)?.sid,
    });
    const [acmeNow, globexNow] = await Promise.all([
      admin('subaccounts/get', { subaccountSid: acme }),
      admin('subaccounts/get', { subaccountSid: globex }),
    ]);
    expect(acmeNow.body.subaccount).toMatchObject({ numbers: [], callerId: null, inboundRouting: {} });
    expect(globexNow.body.subaccount).toMatchObject({ numbers: [moved()], callerId: moved().phoneNumber });
    const listed = await admin('numbers/list', { accountSid: globex });
    expect(listed.body.numbers.map((n: { sid: string }) => n.sid)).toEqual([moved().sid]);
  });

  it('reads usage by category with the total to bill, and a summary across subaccounts', async () => {
    sandbox.addUsage({ accountSid: acme, category: 'calls-inbound', startDate: '2026-03-02', price: 1.25 });
    sandbox.addUsage({ accountSid: acme, category: 'phonenumbers', startDate: '2026-03-01', price: 1.15 });
    sandbox.addUsage({ accountSid: acme, category: 'calls-inbound', startDate: '2026-04-02', price: 9 });
    const usage = await admin('usage', {
      subaccountSid: acme,
      startDate: '2026-03-01',
      endDate: '2026-03-31',
    });
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ currency: 'USD', totalPrice: 2.4 });
    expect(usage.body.categories.map((c: { category: string }) => c.category).sort()).toEqual([
      'calls-inbound',
      'phonenumbers',
    ]);
    const summary = await admin('usage', { startDate: '2026-03-01', endDate: '2026-03-31' });
    expect(summary.body.subaccounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subaccountSid: acme, totalPrice: 2.4 }),
        expect.objectContaining({ subaccountSid: globex, totalPrice: 0 }),
      ]),
    );
  });

  it('bills usage with a markup: grand totals, and the same as a CSV file', async () => {
    const range = { startDate: '2026-03-01', endDate: '2026-03-31', markupPercent: 12.5 };
    const summary = await admin('usage', range);
    // 1.25 + 1.15 = 2.4, billed 2.70; globex had nothing.
    expect(summary.body).toMatchObject({
      complete: true,
      markupPercent: '12.5',
      totals: [{ currency: 'USD', cost: '2.4', billed: '2.70', subaccounts: 2 }],
    });
    const response = await fetch(`${service.url}/admin/usage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminKeyOf(env)}` },
      body: JSON.stringify({ ...range, format: 'csv' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="usage-2026-03-01-to-2026-03-31.csv"',
    );
    const csv = await response.text();
    const rows = csv.split('\r\n');
    expect(rows[0]).toMatch(/^subaccountSid,friendlyName,status,/);
    expect(rows).toContain(
      `${acme},Acme Corp,active,2026-03-01,2026-03-31,USD,totalprice,Total Price,,,,,2.4,12.5,2.70`,
    );
    // The CLI writes every page as it came, one page per subaccount here: the same file.
    const exported = await cli(
      ...['usage', '--startDate', range.startDate, '--endDate', range.endDate],
      ...['--markupPercent', '12.5', '--format', 'csv', '--pageSize', '1'],
    );
    expect(exported).toMatchObject({ code: 0, stdout: csv });
    const refused = await admin('usage', { ...range, markupPercent: 'lots' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_parameter', parameter: 'markupPercent' });
  });

  it('closes with numbers kept: they go back to the main account, cleared, before the account closes', async () => {
    const refused = await admin('subaccounts/close', { subaccountSid: globex, confirm: acme });
    expect(refused.status).toBe(400);
    expect(account(globex)?.status).toBe('active');

    const closed = await admin('subaccounts/close', { subaccountSid: globex, confirm: globex });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ closed: true, numbersKept: [moved()], numbersReleased: [] });
    expect(account(globex)?.status).toBe('closed');
    expect(number(moved().sid)).toMatchObject({
      accountSid: mainSid,
      voiceApplicationSid: null,
      voiceUrl: null,
    });
    const got = await admin('subaccounts/get', { subaccountSid: globex });
    expect(got.body.subaccount).toMatchObject({ status: 'closed', numbers: [], apiKeySid: null });
    expect(sandbox.specViolations()).toEqual([]);
    expect(service.output()).not.toContain(env.AUTH_TOKEN);
  });

  it('is driven by the admin CLI: tables by default, JSON on request, non-zero exit on a refusal', async () => {
    // Four reads, each its own process as an operator runs them: started together.
    const [listed, checked, got, refused] = await Promise.all([
      cli('list', '--status', 'active'),
      cli('check', '--pageSize', '1'),
      cli('get', '--subaccountSid', acme, '--json'),
      cli('get', '--subaccountSid', 'AC1'),
    ]);
    // `kind` tells a subaccount of ours from a customer's connected account.
    expect(listed.stdout).toMatch(/sid\s+kind\s+friendlyName\s+status/);
    expect(listed.stdout).toMatch(new RegExp(`${acme}\\s+subaccount\\s`));
    // A sweep of the registry a page at a time says how to go on.
    expect(checked.stdout).toContain('next page: --cursor');
    expect(JSON.parse(got.stdout).subaccount.sid).toBe(acme);
    expect(refused).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('subaccountSid'),
    });
  });

  it('publishes its description at /openapi.json, the one every answer above was held to', async () => {
    const response = await fetch(`${service.url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(readFileSync(OPENAPI_PATH, 'utf8'));
  });

  it('shows, in the CLI, what a create that stopped made: the subaccount, what it lacks, the key to finish it', async () => {
    // Twilio fails the move (a 500) of a number that needs an Address, once the create copied it.
    const needsAddress = sandbox.addPhoneNumber(mainSid, { addressRequirements: 'any' });
    const address = sandbox.addAddress(mainSid);
    sandbox.failRequest(1, '500', {
      match: { method: 'POST', path: new RegExp(`/IncomingPhoneNumbers/${needsAddress.sid}\\.json$`) },
    });
    const failure = await cli(
      'create',
      '--friendlyName',
      'Initech',
      '--phoneNumberSid',
      needsAddress.sid,
      '--addressSid',
      address.sid,
    );
    expect(failure).toMatchObject({ code: 1 });
    const { stderr } = failure;
    const made = sandbox.state.accounts.find((candidate) => candidate.friendlyName === 'Initech');
    expect(stderr).toContain('subaccount_incomplete');
    expect(stderr).toMatch(new RegExp(`subaccountSid\\s+${made?.sid}`));
    expect(stderr).toMatch(/missing\s+number/);
    expect(stderr).toMatch(/idempotencyKey\s+[0-9a-f-]{36}/);
    expect((await cli('list', '--status', 'provisioning')).stdout).toContain(made?.sid);
  });

  it('adopts a subaccount made by hand, through the CLI: a dry run first, then its number rings its browsers through /voice', async () => {
    const main = sandboxClient(sandbox, mainSid, env.AUTH_TOKEN as string);
    const byHand = await main.api.v2010.accounts.create({ friendlyName: 'Hooli' });
    const held = sandbox.addPhoneNumber(byHand.sid, { voiceUrl: 'https://crm.example.com/hook' });
    const before = JSON.stringify(sandbox.state);

    const preview = await cli('adopt', '--subaccountSid', byHand.sid, '--dryRun', 'true');
    expect(JSON.stringify(sandbox.state)).toBe(before);
    expect(preview.stdout).toContain(`would adopt: ${byHand.sid} (Hooli)`);
    expect(preview.stdout).toMatch(
      new RegExp(`\\${held.phoneNumber}\\s+https://crm.example.com/hook\\s+point\\s+false`),
    );

    const adopted = await cli('adopt', '--subaccountSid', byHand.sid);
    expect(adopted.stdout).toContain(`adopted: ${byHand.sid} (Hooli)`);
    expect(adopted.stdout).toMatch(
      new RegExp(`\\${held.phoneNumber}\\s+https://crm.example.com/hook\\s+point\\s+true`),
    );
    // Nothing else is left unmanaged: the page sweep finds nothing.
    expect((await cli('adopt')).stdout).toContain('nothing left to adopt on this page');

    const routed = await admin('subaccounts/update', {
      subaccountSid: byHand.sid,
      inboundRouting: { [held.phoneNumber]: ['alice'] },
    });
    expect(routed.status).toBe(200);
    const call = await sandbox.inboundCall({ to: held.phoneNumber, from: '+14155550100' });
    expect(call.status).toBe(200);
    const dial = findVerb(call.response as NonNullable<typeof call.response>, 'Dial');
    expect(clientIdentities(dial)).toEqual(['alice']);
    expect(sandbox.specViolations()).toEqual([]);
  });
});
