/**
 * `npm start` on a fresh clone: no Twilio account, no .env. It must come up, and the first command the
 * README and its own output suggest must work; a second start reuses the .env and the sandbox state.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/twilio-run-server';

const root = path.resolve(__dirname, '../..');

function freshClone(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'fresh-clone-'));
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of tracked) {
    if (existsSync(path.join(root, file))) {
      cpSync(path.join(root, file), path.join(folder, file), { preserveTimestamps: true });
    }
  }
  // Installing again would take a minute; the installed tree is the same one `npm ci` makes.
  symlinkSync(path.join(root, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  return folder;
}

interface Started {
  process: ChildProcess;
  output: () => string;
}

async function npmStart(cwd: string, ports: { service: number; sandbox: number }): Promise<Started> {
  let output = '';
  const child = spawn('npm', ['start'], {
    cwd,
    detached: true,
    env: {
      ...process.env,
      PORT: String(ports.service),
      SANDBOX_PORT: String(ports.sandbox),
      FORCE_COLOR: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!/Functions[\s\S]*\/admin\/health/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { process: child, output: () => output };
}

/** Ctrl-C, as a terminal sends it to the whole process group. */
async function stop(started: Started): Promise<void> {
  const exited = new Promise((resolve) => started.process.once('exit', resolve));
  process.kill(-(started.process.pid as number), 'SIGINT');
  await exited;
}

async function listening(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
}

/** Runs the curl command `npm start` printed under "Try first:" (with fetch) and returns its JSON. */
async function runFirstCommand(output: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const command = /curl -s -X POST (\S+) -H "Authorization: Bearer (\S+)"/.exec(output);
  if (!command) throw new Error(`no first command in the output:\n${output}`);
  const response = await fetch(command[1] as string, {
    method: 'POST',
    headers: { Authorization: `Bearer ${command[2]}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('npm start', () => {
  jest.setTimeout(120_000);

  it('comes up on a fresh clone with no Twilio account, and its first suggested command works', async () => {
    const clone = freshClone();
    const ports = { service: await freePort(), sandbox: await freePort() };

    const first = await npmStart(clone, ports);
    try {
      expect(first.output()).toContain('Wrote a local .env');
      expect(first.output()).toContain(`Service:         http://localhost:${ports.service}`);
      const answer = await runFirstCommand(first.output());
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'ok', mainAccount: { reachable: true } });
      // Its softphone calls through the sandbox's calling edge, whose address it prints.
      const edge = /Calling edge:\s+https:\/\/(\S+)/.exec(first.output())?.[1];
      expect(edge).toMatch(/^[\w.-]+:\d+$/);
      const softphone = await fetch(`http://localhost:${ports.service}/softphone.html`);
      expect(await softphone.text()).toContain(`content="${edge}"`);
    } finally {
      await stop(first);
    }
    // Both the service and the sandbox are gone, so their ports are free for the next start.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await listening(ports.service)).toBe(false);
    expect(await listening(ports.sandbox)).toBe(false);
    expect(existsSync(path.join(clone, '.sandbox/state.json'))).toBe(true);

    const second = await npmStart(clone, ports);
    try {
      expect(second.output()).toContain('Using the existing .env');
      expect((await runFirstCommand(second.output())).status).toBe(200);
    } finally {
      await stop(second);
    }
  });
});
