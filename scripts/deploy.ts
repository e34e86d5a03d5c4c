/**
 * `npm run deploy [-- <twilio-run deploy flags>]`: builds, then deploys dist/ with `twilio-run deploy`.
 *
 * Everything comes from the environment of the shell (or CI secrets), never from a committed file:
 * ACCOUNT_SID and AUTH_TOKEN (the main account, used to deploy) and the service variables of
 * .env.example, which are uploaded as the Functions environment. Extra flags go to twilio-run
 * (e.g. `--environment prod`, `--service-sid ZS...`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../src/config/config';
import { buildService } from './build';

// twilio-run reads the deploy credentials from the env file (not the command line, where `ps` would
// show them) and does not upload ACCOUNT_SID / AUTH_TOKEN as Function variables. Twilio sets
// DOMAIN_NAME itself, and TWILIO_API_BASE_URL is refused below.
const VARIABLES = CONFIG_VARIABLES.filter((name) => name !== 'DOMAIN_NAME' && name !== 'TWILIO_API_BASE_URL');

async function main(): Promise<void> {
  const env = process.env;
  if (env.TWILIO_API_BASE_URL) {
    throw new Error('TWILIO_API_BASE_URL is set: it points the service at a sandbox. Unset it to deploy.');
  }
  // Validate before uploading anything; DOMAIN_NAME is only known once deployed, so stand in for it.
  loadConfig({ ...env, DOMAIN_NAME: env.DOMAIN_NAME ?? 'example.twil.io' });

  await buildService();
  const folder = mkdtempSync(path.join(tmpdir(), 'deploy-env-'));
  const envFile = path.join(folder, '.env');
  try {
    const lines = VARIABLES.filter((name) => env[name]).map((name) => `${name}=${env[name]}`);
    writeFileSync(envFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    const result = spawnSync(
      process.execPath,
      [require.resolve('twilio-run/bin/twilio-run.js'), 'deploy', '--env', envFile, ...process.argv.slice(2)],
      { stdio: 'inherit' },
    );
    process.exitCode = result.status ?? 1;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
