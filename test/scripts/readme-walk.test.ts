/**
 * The README's "first ten minutes", as a newcomer runs it: a fresh clone, `npm start`, then the walk's
 * block exactly as printed, in bash, in a second process; then again, after the command `npm start`
 * itself suggests (another "Acme Dental"), in the same clone. Then what a newcomer tries next: the
 * same start while the first still runs, and a start on another PORT.
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'dotenv';
import { deployedStart } from '../helpers/deployed-start';
import { freshClone, npmStart, npmStartRefused, stop, type Started } from '../helpers/npm-start';
import { freePort } from '../../testkit/twilio-run-server';

const root = path.resolve(__dirname, '../..');

/** The shell block after the `first-ten-minutes` marker of the README, as printed. */
function walk(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /<!-- first-ten-minutes -->\s*```sh\n([\s\S]*?)\n```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no first-ten-minutes block');
  return block;
}

/** Runs shell text in the clone as a second terminal would: nothing but the clone's .env to go by. */
async function shell(cwd: string, script: string): Promise<{ stdout: string; stderr: string }> {
  const ignored = new Set(['PORT', 'SANDBOX_PORT', 'SERVICE_URL', 'ADMIN_API_KEY', 'TWILIO_API_BASE_URL']);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !ignored.has(name)));
  return promisify(execFile)('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd,
    env,
    maxBuffer: 10 * 1024 * 1024,
  });
}

/** What the walk shows when it worked, step by step, in the order a person needs it. */
function expectWalked(stdout: string, servicePort: number): void {
  expect(stdout).toMatch(/friendlyName\s+Acme Dental/);
  const softphone = stdout.indexOf(`softphone: http://localhost:${servicePort}/softphone.html#ticket=`);
  const inbound = stdout.indexOf(`http://localhost:${servicePort}/voice -> 200`);
  // A browser is signed in (the link printed) before the call that rings it; the link lasts an hour.
  expect(softphone).toBeGreaterThan(-1);
  expect(inbound).toBeGreaterThan(softphone);
  const validUntil = /valid until (\S+):/.exec(stdout)?.[1];
  expect(Date.parse(validUntil ?? '') - Date.now()).toBeGreaterThan(55 * 60_000);
  // The inbound call rang alice; the browser call dialled out with the number as caller ID.
  expect(stdout).toMatch(/<Dial[^>]*>\s*<Client>\s*<Identity>alice<\/Identity>/);
  expect(stdout).toContain('signed in with the ticket');
  expect(stdout).toContain('<Number>+14155550123</Number>');
  // The browser call ended and was priced, so what it cost shows it beside the inbound minute.
  expect(stdout).toMatch(/# call completed, 60 s, -?\d+(\.\d+)? USD/);
  expect(stdout).toMatch(/^calls-client\s+\d/m);
  expect(stdout).toMatch(/total: \S+ USD/);
}

describe('the README walk', () => {
  jest.setTimeout(240_000);

  const clone = freshClone();
  let ports: { service: number; sandbox: number };
  let started: Started | undefined;
  /** The walk's customer, as its inbound call printed the account it rang in (the later tests' own). */
  let acme: string;

  afterAll(async () => {
    if (started) await stop(started);
  });

  it('runs as printed against a fresh `npm start`: a customer, a number, a browser, a call each way, usage', async () => {
    ports = { service: await freePort(), sandbox: await freePort() };
    started = await npmStart(clone, ports);
    const { stdout } = await shell(clone, walk());
    expectWalked(stdout, ports.service);
    acme = /\/voice -> 200 \(call CA\w+, account (AC\w{32})\)/.exec(stdout)?.[1] as string;
    expect(acme).toMatch(/^AC/);
  });

  it("runs again as printed in the same clone, after `npm start`'s own suggestion made another customer of the name", async () => {
    const suggested = /^Try first:\n(?:.*\n)*?\s+(npm run admin -- create .*)$/m.exec(
      started?.output() ?? '',
    )?.[1];
    expect(suggested).toContain('--friendlyName "Acme Dental"');
    await shell(clone, suggested as string);
    const { stdout } = await shell(clone, walk());
    expectWalked(stdout, ports.service);
  });

  it('lets a softphone opened at 127.0.0.1 trade its ticket as well as one at localhost', async () => {
    const { stdout: ticket } = await shell(
      clone,
      `npm run -s admin -- ticket --identity bob --subaccountSid ${acme} --field ticket`,
    );
    for (const host of ['localhost', '127.0.0.1']) {
      const response = await fetch(`http://localhost:${ports.service}/token`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ticket.trim()}`, Origin: `http://${host}:${ports.service}` },
      });
      expect([host, response.status]).toEqual([host, 200]);
    }
  });

  it('refuses a second start on the same ports before building, naming the process that holds them', async () => {
    const built = statSync(path.join(clone, 'dist/functions/voice.js')).mtimeMs;
    const second = await npmStartRefused(clone, ports);
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(
      new RegExp(`Port ${ports.service} for the service is in use by \\S+ \\(pid \\d+\\)`),
    );
    expect(second.output).not.toContain('Built');
    expect(statSync(path.join(clone, 'dist/functions/voice.js')).mtimeMs).toBe(built);
  });

  it('moves to another PORT when asked: .env follows, the sandbox Apps too, and says so', async () => {
    if (started) await stop(started);
    started = undefined;
    const moved = { service: await freePort(), sandbox: await freePort() };
    started = await npmStart(clone, moved);
    expect(started.output()).toContain(
      `PORT moved the service from http://localhost:${ports.service} to http://localhost:${moved.service}`,
    );
    expect(started.output()).toContain(`TwiML Apps now point at http://localhost:${moved.service}/voice`);
    // Nothing the functions are built from changed since the first start: they are not bundled again.
    expect(started.output()).toMatch(/dist\/ has the \d+ functions of this source already/);
    const env = parse(readFileSync(path.join(clone, '.env')));
    expect(env).toMatchObject({
      PUBLIC_BASE_URL: `http://localhost:${moved.service}`,
      ALLOWED_ORIGINS: `http://localhost:${moved.service},http://127.0.0.1:${moved.service}`,
      TWILIO_API_BASE_URL: `http://127.0.0.1:${moved.sandbox}`,
    });
    // `npm run call` and the CLI follow .env: the customer's number now rings through the new port.
    const { stdout } = await shell(
      clone,
      `npm run call -- --to "$(npm run -s admin -- get --subaccountSid ${acme} --field subaccount.numbers.0.phoneNumber)"`,
    );
    expect(stdout).toContain(`http://localhost:${moved.service}/voice -> 200`);
  });
});

// The same walk against the service deployed with twilio-run deploy to the sandbox and served as Twilio
// runs it (one `npm start -- --deployed` shared with the deployed suites: test/helpers/deployed-start.ts).
describe('the README walk against `npm start -- --deployed`', () => {
  jest.setTimeout(300_000);

  it('runs as printed: a customer, a number, a browser, a call each way, usage', async () => {
    const deployed = await deployedStart();
    const { stdout } = await shell(deployed.clone, walk());
    expect(stdout).toMatch(/friendlyName\s+Acme Dental/);
    expect(stdout).toContain(`http://localhost:${deployed.ports.service}/voice -> 200`);
    expect(stdout).toMatch(/<Dial[^>]*>\s*<Client>\s*<Identity>alice<\/Identity>/);
    expect(stdout).toContain('<Number>+14155550123</Number>');
    expect(stdout).toMatch(/total: \S+ USD/);
  });
});
