/**
 * `npm start` as a newcomer runs it: in a fresh clone of the repository (tracked files only, no .env),
 * with PORT and SANDBOX_PORT, stopped with Ctrl-C.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export function freshClone(): string {
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

export interface Started {
  process: ChildProcess;
  output: () => string;
}

/**
 * `npm start` in `cwd` on these ports, with everything it prints gathered; `detached` puts it in a
 * process group of its own, so a Ctrl-C can reach the service and the sandbox together.
 */
function spawnNpmStart(
  cwd: string,
  ports: { service: number; sandbox: number },
  detached: boolean,
  exported: Record<string, string> = {},
): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn('npm', ['start'], {
    cwd,
    detached,
    env: {
      ...process.env,
      PORT: String(ports.service),
      SANDBOX_PORT: String(ports.sandbox),
      FORCE_COLOR: '0',
      ...exported,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** `npm start` come up; `exported`: variables exported in the shell it is started from. */
export async function npmStart(
  cwd: string,
  ports: { service: number; sandbox: number },
  exported: Record<string, string> = {},
): Promise<Started> {
  const { child, output } = spawnNpmStart(cwd, ports, true, exported);
  // A fresh clone builds everything first; beside a second `npm test` on two cores that can take minutes.
  await untilServing('npm start', output, () => child.exitCode === null, 150_000);
  return { process: child, output };
}

/**
 * Waits until a start's banner lists its Functions (it prints them once it serves); throws with its
 * output when it stops first or `timeoutMs` passes.
 */
export async function untilServing(
  what: string,
  output: () => string,
  running: () => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!/Functions[\s\S]*\/admin\/health/.test(output())) {
    if (!running() || Date.now() > deadline) throw new Error(`${what} did not come up:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Ctrl-C, as a terminal sends it to the whole process group. */
export async function stop(started: Started): Promise<void> {
  const exited = new Promise((resolve) => started.process.once('exit', resolve));
  process.kill(-(started.process.pid as number), 'SIGINT');
  await exited;
}

export async function listening(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
}

/** An `npm start` expected to stop by itself (a port in use, say): its exit code and what it printed. */
export async function npmStartRefused(
  cwd: string,
  ports: { service: number; sandbox: number },
  exported: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnNpmStart(cwd, ports, false, exported);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output: output() };
}
