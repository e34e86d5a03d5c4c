import { parseArgs } from 'node:util';
import { startSandbox } from './sandbox';

/** Runs the sandbox on its own: `tsx sandbox/cli.ts --port 4010 --state .sandbox/state.json [--fresh]`. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.SANDBOX_PORT ?? '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      state: { type: 'string', default: '.sandbox/state.json' },
      fresh: { type: 'boolean', default: false },
      latency: { type: 'string', default: '0' },
      'account-sid': { type: 'string', default: process.env.ACCOUNT_SID },
      'auth-token': { type: 'string', default: process.env.AUTH_TOKEN },
      'no-validate': { type: 'boolean', default: false },
    },
  });
  const sandbox = await startSandbox({
    port: Number(values.port),
    host: values.host,
    statePath: values.state,
    fresh: values.fresh,
    latencyMs: Number(values.latency),
    validateSpec: !values['no-validate'],
  });
  // A known main account (the one in .env) must exist, so the service's credentials work at once.
  const seeded = sandbox.seed({ accountSid: values['account-sid'], authToken: values['auth-token'] });
  console.log(`Twilio sandbox on ${sandbox.baseUrl} (state: ${values.state})`);
  console.log(
    `Main account ${seeded.accountSid}, numbers: ${seeded.phoneNumbers.map((n) => n.phoneNumber).join(', ')}`,
  );
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
