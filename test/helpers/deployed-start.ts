/**
 * One `npm start -- --deployed` shared by every suite that needs the deployed service (a fresh clone,
 * built, deployed with `twilio-run deploy` to its sandbox and served from that deployment), so the deploy
 * is paid once per `npm test`. test/global-setup.ts starts it in the background when such a suite is
 * selected and goes on; the suites wait for it here; test/global-teardown.ts stops it with a Ctrl-C.
 * A suite run without it (jest started otherwise) starts its own.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshClone, untilServing } from './npm-start';
import { freePort } from '../../testkit/twilio-run-server';

/** The suites that use it; the global setup starts it only when one of them runs. */
export const DEPLOYED_SUITES = ['test/browser/deployed-service.test.ts', 'test/scripts/readme-walk.test.ts'];

const STATE_VARIABLE = 'DEPLOYED_START_STATE';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export interface DeployedStart {
  clone: string;
  ports: { service: number; sandbox: number };
  pid: number;
  /** Everything it printed, in a file, since it outlives the process that started it. */
  log: string;
}

/**
 * Starts it in a process group of its own (so one signal reaches npm, the start script and the sandbox)
 * and returns at once; workers find it in the environment. Whatever ends the test run ends it too.
 */
export async function startDeployedInBackground(): Promise<DeployedStart> {
  const clone = freshClone();
  const ports = { service: await freePort(), sandbox: await freePort() };
  const log = path.join(clone, 'npm-start-deployed.log');
  const out = openSync(log, 'a');
  const child = spawn('npm', ['start', '--', '--deployed'], {
    cwd: clone,
    detached: true,
    env: {
      ...process.env,
      PORT: String(ports.service),
      SANDBOX_PORT: String(ports.sandbox),
      FORCE_COLOR: '0',
    },
    stdio: ['ignore', out, out],
  });
  child.unref();
  process.once('exit', () => {
    if (alive(child.pid as number)) process.kill(-(child.pid as number), 'SIGKILL');
  });
  const state: DeployedStart = { clone, ports, pid: child.pid as number, log };
  const file = path.join(clone, 'deployed-start.json');
  writeFileSync(file, JSON.stringify(state));
  process.env[STATE_VARIABLE] = file;
  return state;
}

/** The shared deployed start once it serves (its banner lists the Functions), started here if nobody did. */
export async function deployedStart(): Promise<DeployedStart & { output(): string }> {
  const file = process.env[STATE_VARIABLE];
  const state =
    file && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as DeployedStart)
      : await startDeployedInBackground();
  const output = () => readFileSync(state.log, 'utf8');
  // Building, installing the Build's dependencies on a machine's first run, and deploying.
  await untilServing('npm start -- --deployed', output, () => alive(state.pid), 240_000);
  return { ...state, output };
}

/** Ctrl-C to its process group, as a terminal sends it, and the wait for it to end. */
export async function stopDeployedStart(): Promise<void> {
  const file = process.env[STATE_VARIABLE];
  if (!file || !existsSync(file)) return;
  const { pid } = JSON.parse(readFileSync(file, 'utf8')) as DeployedStart;
  if (!alive(pid)) return;
  process.kill(-pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive(pid)) process.kill(-pid, 'SIGKILL');
}
