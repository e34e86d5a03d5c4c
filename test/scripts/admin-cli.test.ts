/**
 * The admin CLI as an operator runs it, against dist/ served by twilio-run on the sandbox: typos are
 * refused before anything is sent, what a refusal asks of the operator is printed, long sweeps show
 * progress, and a service that is not running is named as such.
 */
import { postAdmin } from '../../testkit/admin-http';
import { adminKeyOf } from '../../testkit/service-env';
import { startLocalService, type LocalService } from '../../testkit/local-service';
import { freePort } from '../../testkit/twilio-run-server';
import { adminCli, type CliRun } from '../helpers/admin-cli';

let local: LocalService;

beforeAll(async () => {
  local = await startLocalService();
});

afterAll(() => local.stop());

const cli = (args: string[], serviceUrl = local.service.url): Promise<CliRun> =>
  adminCli(args, { url: serviceUrl, adminKey: adminKeyOf(local.env) });

/** What a test needs made first, over HTTP: the CLI's own part is what the test then runs with it. */
async function admin(adminPath: `/admin/${string}`, body: Record<string, unknown>) {
  const answer = await postAdmin(local.service.url, adminPath, body, {
    Authorization: `Bearer ${adminKeyOf(local.env)}`,
  });
  expect(answer.status).toBeLessThan(300);
  return answer.body;
}

describe('npm run admin', () => {
  jest.setTimeout(120_000);

  it('refuses a misspelt flag before sending anything, naming the flag it most likely meant', async () => {
    const before = local.sandbox.log.length;
    const [create, list, ticket] = await Promise.all([
      cli(['create', '--friendlyName', 'Acme', '--areacode', '415']),
      cli(['list', '--pagesize', '5']),
      cli(['ticket', '--identity', 'alice', '--subaccountSID', 'AC1']),
    ]);
    expect(create).toMatchObject({ code: 2 });
    expect(create.stderr).toContain('--areacode is not a parameter of create: did you mean --areaCode?');
    expect(list.stderr).toContain('did you mean --pageSize?');
    expect(ticket.stderr).toContain('did you mean --subaccountSid?');
    expect(local.sandbox.log.length).toBe(before);
  });

  it('reads every page with --all, saying how far it is on stderr', async () => {
    for (const name of ['All One', 'All Two', 'All Three'])
      await admin('/admin/subaccounts/create', { friendlyName: name });
    const [all, checked] = await Promise.all([
      cli(['list', '--name', 'All ', '--pageSize', '1', '--all']),
      cli(['check', '--pageSize', '2', '--all']),
    ]);
    expect(all.code).toBe(0);
    for (const name of ['All One', 'All Two', 'All Three']) expect(all.stdout).toContain(name);
    expect(all.stdout).not.toContain('next page');
    expect(all.stderr).toMatch(/page \d+: 3 subaccounts so far/);
    expect(checked.code).toBe(0);
    expect(checked.stderr).toMatch(/page 2: \d+ subaccounts checked so far/);
  });

  it('prints the key a failed rotation resumes with, and labels a rotation key as the rotation one', async () => {
    const sid = (await cli(['create', '--friendlyName', 'Rotor', '--field', 'subaccount.sid'])).stdout.trim();
    expect(sid).toMatch(/^AC[0-9a-f]{32}$/);
    // The registry write of the new key fails: the rotation stopped part-way, and only its key resumes it.
    local.sandbox.failRequest(1, '500', { match: { method: 'POST', path: /\/Items\/account$/ } });
    const failed = await cli(['rotate-key', '--subaccountSid', sid]);
    expect(failed.code).toBe(1);
    const key = /^idempotencyKey\s+(\S+)$/m.exec(failed.stderr)?.[1];
    expect(key).toBeDefined();
    expect(failed.stderr).toContain(`retry with: the same rotate-key with --idempotencyKey ${key}`);
    const rotated = await cli(['rotate-key', '--subaccountSid', sid, '--idempotencyKey', key as string]);
    expect(rotated.stdout).toMatch(new RegExp(`key rotation:[\\s\\S]*rotation idempotencyKey\\s+${key}`));
  });

  it('says after reactivate how long tokens may still be refused, and after update when a change is in force', async () => {
    const sid = (await admin('/admin/subaccounts/create', { friendlyName: 'Dormant' })).subaccount.sid;
    await admin('/admin/subaccounts/suspend', { subaccountSid: sid });
    const reactivated = await cli(['reactivate', '--subaccountSid', sid]);
    expect(reactivated.stdout).toContain('may still be refused for up to 30 s');
    const updated = await cli(['update', '--subaccountSid', sid, '--voicemail', 'false']);
    expect(updated.stdout).toContain('in force on every instance of the service within 30 s');
  });

  it('prints help to stdout when asked (voicemail among what update changes, --addressSid for a transfer), and to stderr after a wrong command', async () => {
    const [help, wrong] = await Promise.all([cli(['help']), cli(['lsit'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--voicemail true|false');
    expect(help.stdout).toMatch(/numbers-transfer[^\n]*\n[^\n]*--addressSid AD\.\.\./);
    expect(help.stderr).toBe('');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('did you mean list?');
  });

  it('reads every page of usage with --all, the totals those of the last page', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const range = ['--startDate', today, '--endDate', today];
    const all = await cli(['usage', ...range, '--pageSize', '1', '--all', '--json']);
    expect(all.code).toBe(0);
    expect(all.stderr).toMatch(/page 2: 2 subaccounts so far/);
    const whole = JSON.parse(all.stdout) as {
      subaccounts: unknown[];
      complete: boolean;
      nextCursor?: string;
    };
    expect(whole.complete).toBe(true);
    expect(whole.nextCursor).toBeUndefined();
    expect(whole.subaccounts.length).toBeGreaterThan(1);
  });

  it('names the URL and `npm start` when no service answers', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const down = await cli(['list'], nowhere);
    expect(down.code).toBe(1);
    expect(down.stderr.trim()).toBe(`no service answers at ${nowhere}: is \`npm start\` running?`);
  });
});
