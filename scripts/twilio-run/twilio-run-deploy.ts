/**
 * How this project runs `twilio-run deploy`, one mechanism for `npm run deploy` (a real account) and
 * for a deploy to the local sandbox (scripts/local/deploy-to-sandbox.ts): which Variables are
 * uploaded, the 82006 check before anything is uploaded, and the credentials passed in an env file
 * (not on the command line, where `ps` would show them).
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config/config';
import { contextRefusal, functionPaths } from './context-limit';

// twilio-run does not upload ACCOUNT_SID / AUTH_TOKEN as Function variables (they are its deploy
// credentials). Twilio sets DOMAIN_NAME itself, and TWILIO_API_BASE_URL points at a sandbox.
const VARIABLES = CONFIG_VARIABLES.filter(
  (name) => !['ACCOUNT_SID', 'AUTH_TOKEN', 'DOMAIN_NAME', 'TWILIO_API_BASE_URL'].includes(name),
);

/** The Variables a deploy uploads: the service's configuration variables that are set. */
export function deployVariables(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(VARIABLES.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

/** The value of a twilio-run flag in `args` (`--flag value`, `--flag=value` or its alias). */
function flagValue(args: string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

export interface TwilioRunDeploy {
  /** The project: package.json, .twilioserverlessrc and the built functions and assets. */
  cwd: string;
  /** The account that deploys (its Services are where the deploy goes). */
  accountSid: string;
  authToken: string;
  /** The service's environment (configuration variables), from which the Variables are taken. */
  env: Record<string, string | undefined>;
  /** More twilio-run deploy flags (`--environment stage`, `--service-name x`, `-o json`). */
  args: string[];
  /** The environment of the twilio-run process. */
  processEnv: NodeJS.ProcessEnv;
  stdio: StdioOptions;
}

/** The 82006 check, with what twilio-run would name the service and the environment. */
export function checkContextSize(deploy: Pick<TwilioRunDeploy, 'cwd' | 'env' | 'args'>): void {
  const packageJson = JSON.parse(readFileSync(path.join(deploy.cwd, 'package.json'), 'utf8')) as {
    name: string;
  };
  const rc = JSON.parse(readFileSync(path.join(deploy.cwd, '.twilioserverlessrc'), 'utf8')) as {
    functionsFolder?: string;
  };
  const production = deploy.args.includes('--production');
  const refusal = contextRefusal({
    variables: deployVariables(deploy.env),
    serviceName: flagValue(deploy.args, ['--service-name', '-n']) ?? packageJson.name,
    environmentSuffix: production ? '' : (flagValue(deploy.args, ['--environment', '--to']) ?? 'dev'),
    functionPaths: functionPaths(path.join(deploy.cwd, rc.functionsFolder ?? 'functions')),
  });
  if (refusal) throw new Error(refusal);
}

/** Runs `twilio-run deploy` after the 82006 check; answers its exit code and what it printed (when piped). */
export async function twilioRunDeploy(
  deploy: TwilioRunDeploy,
): Promise<{ code: number; stdout: string; stderr: string }> {
  checkContextSize(deploy);
  const folder = mkdtempSync(path.join(tmpdir(), 'deploy-env-'));
  const envFile = path.join(folder, '.env');
  try {
    const variables = {
      ACCOUNT_SID: deploy.accountSid,
      AUTH_TOKEN: deploy.authToken,
      ...deployVariables(deploy.env),
    };
    const lines = Object.entries(variables).map(([name, value]) => `${name}=${value}`);
    writeFileSync(envFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    const child = spawn(
      process.execPath,
      [require.resolve('twilio-run/bin/twilio-run.js'), 'deploy', '--env', envFile, ...deploy.args],
      { cwd: deploy.cwd, env: deploy.processEnv, stdio: deploy.stdio },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode ?? 1));
    });
    return { code, stdout, stderr };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
