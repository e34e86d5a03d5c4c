/**
 * `npm start`: the whole service on this machine, no Twilio account needed.
 * Builds dist/ (its functions only when what they are built from changed: scripts/build-inputs.ts),
 * starts the Twilio sandbox (state kept in .sandbox/state.json) and `twilio-run start` on dist with the
 * local .env, prints what to try first, and stops both on Ctrl-C.
 *
 * With real credentials in .env and no TWILIO_API_BASE_URL, no sandbox is started and the same
 * service talks to Twilio itself. `npm start -- --fresh` forgets the sandbox state.
 * `npm start -- --deployed` deploys dist/ with `twilio-run deploy` to the sandbox instead, and serves the
 * service from that deployment as Twilio runs it (scripts/local/deployed-service.ts); a deploy that
 * fails stops it with Twilio's error code and the reason.
 *
 * PORT and SANDBOX_PORT are honoured at every start (without them, the ports of the last start): when
 * they moved, the local URLs in .env follow and the sandbox's TwiML Apps are pointed at the new URL.
 * Both ports are checked before anything is built. EVENTS_WEBHOOK_URL and EVENTS_WEBHOOK_SECRET may be
 * exported in the shell instead of written in .env (local/shell-variables.ts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox';
import { buildService } from './build';
import { startDeployedService } from './local/deployed-service';
import { chosenPorts, readOrCreateLocalEnv, type LocalEnv } from './local/local-env';
import { requireFreePorts } from './local/ports';
import { twilioRunStartArgs } from './local/twilio-run-start';
import { eventsLine, serviceEnvText, shellVariables, type ShellVariables } from './local/shell-variables';
import { pointSoftphoneAtSandbox } from './local/softphone-sandbox-edge';

const root = path.resolve(__dirname, '..');
/** The sandbox's calling edge (the Voice SDK's gateway); 0 picks a free port. */
const sandboxEdgePort = Number(process.env.SANDBOX_EDGE_PORT ?? 0);
const fresh = process.argv.includes('--fresh');
const deployed = process.argv.includes('--deployed');

/** The service as this start runs it: twilio-run start over dist/, or the deployment in the sandbox. */
interface RunningService {
  /** What the banner adds about it. */
  lines: string[];
  stop(): Promise<void>;
  /** Resolves with an exit code when the service ended by itself. */
  ended: Promise<number>;
}

async function main(): Promise<void> {
  const envFile = path.join(root, '.env');
  const ports = chosenPorts(process.env, envFile);
  const servicePort = ports.service;
  const { values: env, created, moved } = readOrCreateLocalEnv(envFile, ports);
  if (deployed && !env.TWILIO_API_BASE_URL)
    throw new Error(
      'npm start -- --deployed deploys to the local sandbox, and .env has no TWILIO_API_BASE_URL: deploy to Twilio with npm run deploy.',
    );
  const fromShell = shellVariables(process.env, env);
  if (fromShell.refusal) throw new Error(fromShell.refusal);
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
  // Its functions are bundled again only when something they are built from changed.
  const { functions, reused } = await buildService({ reuseCurrentFunctions: true });
  console.log(
    reused
      ? `dist/ has the ${functions.length} functions of this source already; its assets made again.`
      : `Built ${functions.length} functions into dist/.`,
  );

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

  // .env, plus what the shell exported of the variables it may (local/shell-variables.ts): written
  // under .sandbox/ (ignored by git, readable by this user only), rewritten at every start.
  const serviceEnvFile = path.join(root, '.sandbox/service.env');
  mkdirSync(path.dirname(serviceEnvFile), { recursive: true });
  writeFileSync(serviceEnvFile, serviceEnvText(readFileSync(envFile, 'utf8'), fromShell), { mode: 0o600 });
  const serviceEnv = { ...env, ...shellValues(fromShell) };

  const service =
    sandbox && deployed
      ? await runDeployed(sandbox, serviceEnv, servicePort)
      : runTwilioRun(serviceEnvFile, servicePort);

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
      eventsLine(fromShell),
      '',
      'Try first:',
      `  curl -s -X POST ${serviceUrl}/admin/health -H "Authorization: Bearer ${adminKey}"`,
      '  npm run admin -- create --friendlyName "Acme Dental"',
      ...(service.lines.length > 0 ? ['', ...service.lines] : []),
      '',
      'Ctrl-C stops the service and the sandbox.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await service.stop();
    await sandbox?.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  void service.ended.then((code) => stop(code));
}

function runTwilioRun(envFile: string, port: number): RunningService {
  const twilioRun = spawn(process.execPath, twilioRunStartArgs({ port, envFile }), {
    cwd: root,
    stdio: 'inherit',
  });
  return {
    lines: [],
    stop: async () => void twilioRun.kill('SIGTERM'),
    ended: new Promise((resolve) => twilioRun.on('exit', (code) => resolve(code ?? 1))),
  };
}

/** Deploys to the sandbox and serves that deployment; a failed deploy stops the start, sandbox closed. */
async function runDeployed(
  sandbox: Sandbox,
  env: Record<string, string>,
  port: number,
): Promise<RunningService> {
  try {
    const served = await startDeployedService(sandbox, { projectDir: root, env, port });
    return { lines: served.lines, stop: () => served.close(), ended: new Promise(() => undefined) };
  } catch (error) {
    await sandbox.close();
    throw new Error(
      `The deploy to the sandbox failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
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

/** The values the shell adds to .env's (the deployed service gets its Variables from them). */
function shellValues({ values }: ShellVariables): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, found]) => [name, found.value]));
}
