/**
 * `npm run call`: playing Twilio's part by hand against a running sandbox and service, as a developer
 * does after `npm start`. It must print the TwiML our /voice answered, and follow the <Dial action>.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startLocalService, type LocalService } from '../../testkit/local-service';
import { provisionTenant, updateTenantRecord, type ProvisionedTenant } from '../../testkit/provision-tenant';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

let local: LocalService;
let tenant: ProvisionedTenant;

beforeAll(async () => {
  local = await startLocalService();
  tenant = await provisionTenant(local.sandbox, local.env, { numbers: 1 });
  await updateTenantRecord(local.env, tenant, {
    inboundRouting: { [tenant.numbers[0] as string]: ['alice'] },
  });
}, 60_000);

afterAll(() => local?.stop());

/** As `npm run call` runs it (package.json), without npm in between. */
function callCli(args: string[]) {
  return run(
    process.execPath,
    ['--require', 'tsx/cjs', 'scripts/call.ts', '--sandbox', local.sandbox.baseUrl, ...args],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
}

describe('npm run call', () => {
  it('rings the routed identity for an inbound call, then reaches voicemail when nobody answers', async () => {
    const { stdout } = await callCli(['--to', tenant.numbers[0] as string, '--dial-status', 'no-answer']);
    expect(stdout).toContain(`${local.service.url}/voice -> 200`);
    expect(stdout).toMatch(/<Dial[^>]*>\s*<Client>\s*<Identity>alice<\/Identity>/);
    expect(stdout).toContain('# Dial action POST');
    expect(stdout).toMatch(/<Record /);
  });

  it("plays a browser client's call with its access token, dialled with the subaccount's caller ID", async () => {
    const { stdout } = await callCli(['--token', tenant.voiceToken('alice'), '--to', '+14155550123']);
    expect(stdout).toMatch(new RegExp(`<Dial[^>]*callerId="\\${tenant.numbers[0]}"`));
    expect(stdout).toContain('<Number>+14155550123</Number>');
  });

  it('leaves a voicemail and ends the call, printing its duration, price, recording and callbacks', async () => {
    const { stdout } = await callCli([
      '--to',
      tenant.numbers[0] as string,
      '--dial-status',
      'no-answer',
      '--voicemail',
      '8',
    ]);
    expect(stdout).toMatch(/# call completed, 8 s, -0\.00850 USD; recordings: RE[0-9a-f]{32}/);
    expect(stdout).toContain(`${local.service.url}/voice/recording-status -> 200`);
  });

  it('says what is wrong and exits non-zero for a number nobody owns', async () => {
    const failed = await callCli(['--to', '+19995550000']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('sandbox refused');
  });
});
