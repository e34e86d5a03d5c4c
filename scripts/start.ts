/**
 * `npm start`: the whole service on this machine, no Twilio account needed.
 * Builds dist/, starts the Twilio sandbox (state kept in .sandbox/state.json) and `twilio-run start` on
 * dist with the local .env, prints what to try first, and stops both on Ctrl-C.
 *
 * With real credentials in .env and no TWILIO_API_BASE_URL, no sandbox is started and the same
 * service talks to Twilio itself. `npm start -- --fresh` forgets the sandbox state.
 *
 * PORT and SANDBOX_PORT are honoured at every start (without them, the ports of the last start): when
 * they moved, the local URLs in .env follow and the sandbox's TwiML Apps are pointed at the new URL.
 * Both ports are checked before anything is built.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox';
import { buildService } from './build';
import { chosenPorts, readOrCreateLocalEnv, type LocalEnv } from './local/local-env';
import { requireFreePorts } from './local/ports';
import { pointSoftphoneAtSandbox } from './local/softphone-sandbox-edge';

const root = path.resolve(__dirname, '..');
/** The sandbox's calling edge (the Voice SDK's gateway); 0 picks a free port. */
const sandboxEdgePort = Number(process.env.SANDBOX_EDGE_PORT ?? 0);
const fresh = process.argv.includes('--fresh');

async function main(): Promise<void> {
  const envFile = path.join(root, '.env');
  const ports = chosenPorts(process.env, envFile);
  const servicePort = ports.service;
  const { values: env, created, moved } = readOrCreateLocalEnv(envFile, ports);
  await requireFreePorts([
    { port: servicePort, what: 'the service', variable: 'PORT' },
    ...(env.TWILIO_API_BASE_URL
      ? [
          {
            port: Number(new URL(env.TWILIO_API_BASE_URL).port),
            what: 'the sandbox',
            variable: 'SANDBOX_PORT',
            host: new URL(env.TWILIO_API_BASE_URL).hostname,
          },
        ]
      : []),
  ]);
  const { functions } = await buildService();
  console.log(`Built ${functions.length} functions into dist/.`);

  let sandbox: Sandbox | undefined;
  if (env.TWILIO_API_BASE_URL) {
    const sandboxUrl = new URL(env.TWILIO_API_BASE_URL);
    sandbox = await startSandbox({
      port: Number(sandboxUrl.port),
      host: sandboxUrl.hostname,
      statePath: path.join(root, '.sandbox/state.json'),
      fresh,
      voiceEdge: { port: sandboxEdgePort },
    });
    sandbox.seed({
      accountSid: env.ACCOUNT_SID,
      authToken: env.AUTH_TOKEN,
      friendlyName: 'Local main account',
    });
    for (const url of [moved.service, moved.sandbox]) if (url) sandbox.repointUrls(url.from, url.to);
    // This dist/ is a local build from here on: its softphone calls through the sandbox's edge.
    if (sandbox.voiceEdge)
      await pointSoftphoneAtSandbox(path.join(root, 'dist/assets'), sandbox.voiceEdge.host);
  }

  const twilioRun = spawn(
    process.execPath,
    [
      require.resolve('twilio-run/bin/twilio-run.js'),
      'start',
      '--port',
      String(servicePort),
      '--env',
      envFile,
      '--no-fork-process',
      '--no-live',
    ],
    { cwd: root, stdio: 'inherit' },
  );

  const serviceUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${servicePort}`;
  const adminKey = (env.ADMIN_API_KEYS ?? '').split(',')[0];
  console.log(
    [
      '',
      created ? 'Wrote a local .env with fresh credentials for the sandbox.' : 'Using the existing .env.',
      ...movedLines(moved, Boolean(sandbox)),
      sandbox
        ? `Twilio sandbox:  ${sandbox.baseUrl} (state in .sandbox/state.json)`
        : 'Talking to Twilio itself.',
      `Service:         ${serviceUrl}`,
      `Softphone:       ${serviceUrl}/softphone.html`,
      ...(sandbox?.voiceEdge
        ? [
            `Calling edge:    ws://${sandbox.voiceEdge.host} (the softphone above calls through it: docs/calling-edge.md)`,
          ]
        : []),
      `Admin console:   ${serviceUrl}/admin.html`,
      `Admin key:       ${adminKey}`,
      '',
      'Try first:',
      `  curl -s -X POST ${serviceUrl}/admin/health -H "Authorization: Bearer ${adminKey}"`,
      '  npm run admin -- create --friendlyName "Acme Dental"',
      '',
      'Ctrl-C stops the service and the sandbox.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    twilioRun.kill('SIGTERM');
    await sandbox?.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  twilioRun.on('exit', (code) => void stop(code ?? 1));
}

/** What this start moved, said once: the URLs in .env, and where the sandbox's TwiML Apps now point. */
function movedLines(moved: LocalEnv['moved'], withSandbox: boolean): string[] {
  const lines: string[] = [];
  if (moved.service) {
    lines.push(
      `PORT moved the service from ${moved.service.from} to ${moved.service.to}: PUBLIC_BASE_URL and ALLOWED_ORIGINS in .env updated.`,
    );
    if (withSandbox)
      lines.push(
        `The sandbox's TwiML Apps now point at ${moved.service.to}/voice (they were on ${moved.service.from}).`,
      );
  }
  if (moved.sandbox)
    lines.push(
      `SANDBOX_PORT moved the sandbox from ${moved.sandbox.from} to ${moved.sandbox.to}: TWILIO_API_BASE_URL in .env updated.`,
    );
  return lines;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
