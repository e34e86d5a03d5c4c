/**
 * `npm run deploy [-- <twilio-run deploy flags>]`: builds, then deploys dist/ with `twilio-run deploy`
 * (scripts/twilio-run/twilio-run-deploy.ts), refusing before any upload when the Variables would make a
 * Function's context over Twilio's 3 KB (82006).
 *
 * Everything comes from the environment of the shell (or CI secrets), never from a committed file:
 * ACCOUNT_SID and AUTH_TOKEN (the main account, used to deploy) and the service variables of
 * .env.example, which are uploaded as the Functions environment. Extra flags go to twilio-run
 * (e.g. `--environment stage`, `--service-sid ZS...`). See docs/deploying.md.
 */
import { ConfigError, loadConfig } from '../src/config/config';
import { buildService } from './build';
import { checkContextSize, twilioRunDeploy } from './twilio-run/twilio-run-deploy';

async function main(): Promise<void> {
  const env = process.env;
  if (env.TWILIO_API_BASE_URL) {
    throw new Error('TWILIO_API_BASE_URL is set: it points the service at a sandbox. Unset it to deploy.');
  }
  // Validate before uploading anything; DOMAIN_NAME is only known once deployed, so stand in for it.
  loadConfig({ ...env, DOMAIN_NAME: env.DOMAIN_NAME ?? 'example.twil.io' });
  const cwd = process.cwd();
  const args = process.argv.slice(2);
  await buildService();
  checkContextSize({ cwd, env, args });
  const result = await twilioRunDeploy({
    cwd,
    accountSid: env.ACCOUNT_SID ?? '',
    authToken: env.AUTH_TOKEN ?? '',
    env,
    args,
    processEnv: env,
    stdio: 'inherit',
  });
  process.exitCode = result.code;
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
