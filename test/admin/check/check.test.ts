import { handler as check } from '../../../src/functions/admin/subaccounts/check';
import { handler as create } from '../../../src/functions/admin/subaccounts/create';
import { startAdminFixture, type AdminFixture } from '../../helpers/admin-fixture';
import { invokeFunction } from '../../../testkit/function-runtime';
import { adminKeyOf } from '../../../testkit/service-env';
import { handler as suspend } from '../../../src/functions/admin/subaccounts/suspend';
import { loadConfig } from '../../../src/config/config';
import { adminDeps } from '../../../src/admin/deps';
import { checkSubaccount } from '../../../src/admin/check/check';
import { holdOperation, releaseOperation } from '../../helpers/held-operation';

interface SweepAnswer {
  subaccounts: { subaccountSid: string; inStep: boolean; drift: { code: string; repaired?: boolean }[] }[];
  unregistered: { subaccountSid: string; friendlyName: string; message: string }[];
  unregisteredComplete: boolean;
  inStep: boolean;
  nextCursor?: string;
}

let fixture: AdminFixture;
let second: string;

beforeEach(async () => {
  fixture = await startAdminFixture();
  const made = await admin(create, { friendlyName: 'Second', idempotencyKey: 'second-create' });
  second = (made.json() as { subaccount: { sid: string } }).subaccount.sid;
});

afterEach(async () => {
  await fixture.sandbox.close();
});

function admin(handler: typeof check, body: Record<string, unknown>) {
  return invokeFunction(handler, {
    env: fixture.env,
    body,
    headers: { authorization: `Bearer ${adminKeyOf(fixture.env)}` },
  });
}

const sweep = async (body: Record<string, unknown> = {}) => (await admin(check, body)).json<SweepAnswer>();

/** The second subaccount's TwiML App as Twilio holds it now. */
const secondApp = () =>
  fixture.sandbox.state.applications.find((candidate) => candidate.accountSid === second);

/** Drift made behind the service's back: the second subaccount's App posts elsewhere. */
function pointSecondAppElsewhere() {
  const app = secondApp();
  if (app) app.voiceUrl = 'https://elsewhere.example.com/voice';
}

describe('check without a subaccountSid: a sweep of the registry', () => {
  it('checks every subaccount and names the ones that drifted', async () => {
    pointSecondAppElsewhere();
    const answer = await sweep();
    expect(answer.inStep).toBe(false);
    expect(answer.nextCursor).toBeUndefined();
    const bySid = new Map(answer.subaccounts.map((checked) => [checked.subaccountSid, checked]));
    expect([...bySid.keys()].sort()).toEqual([fixture.subaccountSid, second].sort());
    expect(bySid.get(fixture.subaccountSid)?.inStep).toBe(true);
    expect(bySid.get(second)?.drift.map((drift) => drift.code)).toEqual(['twiml_app_voice_url']);
  });

  it('repairs what drifted when asked, and then finds everything in step', async () => {
    pointSecondAppElsewhere();
    const repaired = await sweep({ repair: true });
    expect(repaired.subaccounts.flatMap((checked) => checked.drift)).toEqual([
      expect.objectContaining({ code: 'twiml_app_voice_url', repaired: true }),
    ]);
    expect(secondApp()?.voiceUrl).toBe(`${fixture.env.PUBLIC_BASE_URL}/voice`);
    expect((await sweep()).inStep).toBe(true);
  });

  it('pages with a cursor, each subaccount checked once', async () => {
    const first = await sweep({ pageSize: 1 });
    expect(first.subaccounts).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = await sweep({ pageSize: 1, cursor: first.nextCursor });
    expect(rest.subaccounts).toHaveLength(1);
    expect(rest.nextCursor).toBeUndefined();
    expect(
      [first, rest].flatMap((page) => page.subaccounts.map((checked) => checked.subaccountSid)).sort(),
    ).toEqual([fixture.subaccountSid, second].sort());
  });
});

describe('check without a subaccountSid: subaccounts the registry does not know', () => {
  /** Subaccounts made on Twilio behind the service's back: two active, one closed, one suspended. */
  function strangers() {
    const owner = fixture.env.ACCOUNT_SID;
    const active = [
      fixture.sandbox.createAccount({ ownerAccountSid: owner, friendlyName: 'Made in the Console' }),
      fixture.sandbox.createAccount({
        ownerAccountSid: owner,
        friendlyName: 'pending subaccount 0123456789abcdef',
      }),
    ];
    const closed = fixture.sandbox.createAccount({ ownerAccountSid: owner, friendlyName: 'Closed one' });
    closed.status = 'closed';
    return active.map((account) => account.sid);
  }

  it('reports every active subaccount of the main account that the registry lacks, and is not in step', async () => {
    const unknown = strangers();
    const answer = await sweep();
    expect(answer.inStep).toBe(false);
    expect(answer.unregisteredComplete).toBe(true);
    expect(answer.unregistered.map((account) => account.subaccountSid).sort()).toEqual([...unknown].sort());
    const pending = answer.unregistered.find((account) => account.friendlyName.startsWith('pending'));
    expect(pending?.message).toContain('a create stopped before it recorded it');
    // One made elsewhere: the answer says how to take it in.
    const stranger = answer.unregistered.find((account) => !account.friendlyName.startsWith('pending'));
    expect(stranger?.message).toContain('/admin/subaccounts/adopt with this subaccountSid takes it in');
    // Registered subaccounts are not reported, and the main account is not a subaccount.
    expect(answer.unregistered.map((account) => account.subaccountSid)).not.toContain(fixture.subaccountSid);
    expect(answer.unregistered.map((account) => account.subaccountSid)).not.toContain(
      fixture.env.ACCOUNT_SID,
    );
  });

  it('reports each of them once across the pages of a sweep', async () => {
    const unknown = strangers();
    const reported: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await sweep({ pageSize: 1, ...(cursor ? { cursor } : {}) });
      reported.push(...page.unregistered.map((account) => account.subaccountSid));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(reported.sort()).toEqual([...unknown].sort());
  });

  it('is in step when Twilio has no subaccount the registry lacks', async () => {
    const answer = await sweep();
    expect(answer.unregistered).toEqual([]);
    expect(answer.inStep).toBe(true);
  });
});

describe('repair takes the subaccount as any change does', () => {
  /** Another change of the second subaccount under way: a rotate-key holding its operation record. */
  const holdSecond = () =>
    holdOperation(fixture.sandbox, loadConfig(fixture.env).registryKeys, second, 'rotate-key', Date.now());

  it('refuses to repair one subaccount while another change holds it, and repairs it once that ends', async () => {
    pointSecondAppElsewhere();
    holdSecond();
    const refused = await admin(check, { subaccountSid: second, repair: true });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: { code: 'subaccount_busy', message: expect.stringContaining('rotate-key is under way') },
    });
    expect(secondApp()?.voiceUrl).toBe('https://elsewhere.example.com/voice');

    releaseOperation(fixture.sandbox, second);
    const repaired = await admin(check, { subaccountSid: second, repair: true });
    expect(repaired.statusCode).toBe(200);
    expect(secondApp()?.voiceUrl).toBe(`${fixture.env.PUBLIC_BASE_URL}/voice`);
    // The repair gave its record back: the next change is not kept waiting.
    expect((await admin(suspend, { subaccountSid: second })).statusCode).toBe(200);
  });

  it('leaves a held subaccount as found in a sweep, reported unrepaired, and repairs the others', async () => {
    pointSecondAppElsewhere();
    const firstApp = fixture.sandbox.state.applications.find(
      (candidate) => candidate.accountSid === fixture.subaccountSid,
    );
    if (firstApp) firstApp.voiceUrl = 'https://elsewhere.example.com/voice';
    holdSecond();
    const answer = await sweep({ repair: true });
    const bySid = new Map(answer.subaccounts.map((checked) => [checked.subaccountSid, checked]));
    expect(bySid.get(second)?.drift).toEqual([expect.objectContaining({ code: 'twiml_app_voice_url' })]);
    expect(bySid.get(second)?.drift[0]?.repaired).toBeUndefined();
    expect(bySid.get(fixture.subaccountSid)?.drift).toEqual([
      expect.objectContaining({ code: 'twiml_app_voice_url', repaired: true }),
    ]);
    expect(secondApp()?.voiceUrl).toBe('https://elsewhere.example.com/voice');
    expect(answer.inStep).toBe(false);
  });
});

describe('a repair whose subaccount changed after the check read it', () => {
  it('checks it again under the record and repairs what is still drifted, keeping the other change', async () => {
    pointSecondAppElsewhere();
    const deps = adminDeps(loadConfig(fixture.env));
    // Another change finishes between the check's read and the repair taking the record.
    const read = deps.registry.getWithOperation.bind(deps.registry);
    let reads = 0;
    deps.registry.getWithOperation = async (...args) => {
      reads += 1;
      // The first read is the check's; the second, the repair's read of the item with its record.
      if (reads === 2) {
        await deps.registry.update(second, (record) => ({ ...record, friendlyName: 'Renamed meanwhile' }));
      }
      return read(...args);
    };
    const appLists = () => fixture.sandbox.countRequests({ path: /\/Applications/, method: 'GET' });
    const listsBefore = appLists();
    const answer = await checkSubaccount(deps, second, { repair: true, migrateUnsigned: false });
    expect(answer.drift).toEqual([expect.objectContaining({ code: 'twiml_app_voice_url', repaired: true })]);
    // Compared with Twilio twice: once by the check, once again under the record.
    expect(appLists() - listsBefore).toBe(2);
    expect(secondApp()?.voiceUrl).toBe(`${fixture.env.PUBLIC_BASE_URL}/voice`);
    expect((await deps.registry.get(second))?.data.friendlyName).toBe('Renamed meanwhile');
    expect(reads).toBeGreaterThanOrEqual(2);
  });
});
