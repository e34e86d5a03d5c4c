/**
 * Serves the built dist/ with `twilio-run start`, as `npm start` and a developer do, on a free port,
 * so tests call the real functions over HTTP. Output is kept for assertions (e.g. no secret in logs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { twilioRunStartArgs } from '../scripts/local/twilio-run-start';

const root = path.resolve(__dirname, '..');

export interface ServedService {
  url: string;
  /** Everything twilio-run and the functions printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `env` is written to a temporary .env file. When PUBLIC_BASE_URL is not given it is set to the local
 * URL, since webhook signatures are computed over it.
 */
export interface ServeOptions {
  port?: number;
  /** twilio-run prints a line per request by default; a load test turns that off, as Twilio has no such console. */
  requestLogs?: boolean;
  /** Serve the assets from this folder (relative to the project) instead of dist/assets. */
  assetsFolder?: string;
}

export async function serveDist(
  env: Record<string, string>,
  options: ServeOptions = {},
): Promise<ServedService> {
  const port = options.port ?? (await freePort());
  const url = `http://localhost:${port}`;
  const envFile = path.join(mkdtempSync(path.join(tmpdir(), 'svc-env-')), '.env');
  const variables = { PUBLIC_BASE_URL: url, ...env };
  writeFileSync(
    envFile,
    Object.entries(variables)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
  );

  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    twilioRunStartArgs({
      port,
      envFile,
      requestLogs: options.requestLogs,
      assetsFolder: options.assetsFolder,
    }),
    { cwd: root, env: { ...process.env, FORCE_COLOR: '0', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });

  await waitUntilListening(url, child, () => output);
  return { url, output: () => output, stop };
}

async function waitUntilListening(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`twilio-run exited with ${child.exitCode}:\n${output()}`);
    try {
      await fetch(`${url}/`, { method: 'HEAD' });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`twilio-run did not start within 30 s:\n${output()}`);
}
