/**
 * Starts host.cjs for a Build: a plain Node.js process (no loader flags of this one, no NODE_PATH, none
 * of the sandbox's environment), whose working folder is the Build's, so its Functions reach the Build's
 * node_modules and nothing else.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Visibility } from './types';

/** A route as runtime-handler's dev server takes it (dev-runtime/types.d.ts ServerlessResourceConfigWithFilePath). */
export interface HostRoute {
  /** The Function or Asset Version SID. */
  name: string;
  path: string;
  access: Visibility;
  /** The SID-named file it runs or is served from. */
  filePath: string;
  content: string;
}

export interface HostSetup {
  buildDir: string;
  /** `https://<domain name>`: runtime-handler makes DOMAIN_NAME of it. */
  url: string;
  /** The context's values besides PATH and DOMAIN_NAME. */
  env: Record<string, string>;
  functions: HostRoute[];
  assets: HostRoute[];
}

interface HostMessage {
  failure?: { sid?: string; path?: string; message: string };
  checked?: number;
  listening?: number;
}

const script = path.join(__dirname, 'host.cjs');

function start(
  setup: HostSetup,
  mode: 'check' | 'serve',
): { child: ChildProcess; first: Promise<HostMessage> } {
  const child = fork(script, [], {
    cwd: setup.buildDir,
    execArgv: [],
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const first = new Promise<HostMessage>((resolve, reject) => {
    child.once('message', (message) => resolve(message as HostMessage));
    child.once('error', reject);
    child.once('exit', (code) =>
      resolve({ failure: { message: `The runtime exited (${code}) before it was ready.` } }),
    );
  });
  child.send({ ...setup, mode });
  return { child, first };
}

/** The first Function that cannot be loaded alone, or undefined when all can. */
export async function checkFunctionsLoad(setup: HostSetup): Promise<HostMessage['failure']> {
  const { first } = start(setup, 'check');
  const message = await first;
  return message.failure;
}

export interface Host {
  port: number;
  child: ChildProcess;
}

export async function startHost(setup: HostSetup): Promise<Host> {
  const { child, first } = start(setup, 'serve');
  const message = await first;
  if (message.listening === undefined) {
    child.kill('SIGKILL');
    throw new Error(message.failure?.message ?? 'The runtime did not start.');
  }
  // A deployment's process never keeps the sandbox's alive: closing the deployment kills it.
  child.unref();
  child.channel?.unref();
  return { port: message.listening, child };
}
