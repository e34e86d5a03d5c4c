/**
 * Cold start to the first answer: what a tenant's first call meets on a new Functions instance. Each
 * start is a fresh node process running the Functions runtime's own function runner
 * (@twilio/runtime-handler, dist/dev-runtime/internal/functionRunner.js), which on its request builds
 * the global scope (`constructGlobalScope` in dev-runtime/route.js: `twilio` required, `Twilio`,
 * `Runtime` and a lazy `twilioClient` set), builds the context, `require`s the function and calls its
 * handler. So `twilio` is loaded before the function on both sides, as the runtime does.
 *
 * Measured beside function-templates' voice and token functions (bench/peers.ts, built into
 * node_modules/.cache for the runner to load): ours answers a browser client's call to a number of a
 * tenant never seen by the process (signature checked, tenant and number read from the sandbox, the
 * number classified by the toll-fraud guard) and a ticket for that tenant; the peers check nothing.
 * Starts are interleaved (one of each per step, so all meet the same load on shared cores), RUNS per
 * subject per round, three rounds; each round's ratio is of medians, the row's is the median round's.
 * bench/cold-start-probe.js, preloaded into every process alike, marks the phases.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startSandbox } from '../sandbox';
import { mintTicket } from '../src/tokens/mint-ticket';
import { provisionTenant, sandboxEnv } from '../test/helpers/provision-tenant';
import { serviceEnv } from '../test/helpers/service-env';
import { callParams } from '../test/helpers/signed-webhook';
import { medianOf, ms, type BenchRow } from './harness';

const root = path.resolve(__dirname, '..');
const RUNNER = path.join(
  path.dirname(require.resolve('@twilio/runtime-handler/dev')),
  'internal/functionRunner.js',
);
const PROBE = path.join(__dirname, 'cold-start-probe.js');
const PEERS = path.join(root, 'node_modules/.cache/cold-start-peers');
const BASE = 'https://voice.example.com';
const ROUNDS = 3;
const RUNS = 5;

/** One start: what the runner is sent (as twilio-run's forked route sends it, dev-runtime/route.js). */
interface Start {
  functionPath: string;
  path: string;
  env: Record<string, string>;
  event: Record<string, unknown>;
  /** Variables of the process itself (the peer's voice function reads CALLER_ID there). */
  processEnv?: Record<string, string>;
  check: (body: string) => boolean;
}

interface Marks {
  started: number;
  message: number;
  twilio: { started: number; ended: number };
  function: { started: number; ended: number };
  answered: number;
}

/** Milliseconds of each phase of one start. */
interface Phases {
  total: number;
  node: number;
  runtime: number;
  twilio: number;
  load: number;
  answer: number;
}

const PHASES = ['node', 'runtime', 'twilio', 'load', 'answer'] as const;

export async function run(): Promise<BenchRow[]> {
  const peers = await buildPeers();
  const sandbox = await startSandbox();
  try {
    const env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: BASE, ALLOWED_ORIGINS: BASE }));
    const tenant = await provisionTenant(sandbox, env, { authTokenInRegistry: true });
    const callerId = tenant.numbers[0] ?? '';
    const params = callParams({ accountSid: tenant.sid, from: 'client:alice', to: '+14155550199' });
    const signature = getExpectedTwilioSignature(tenant.authToken, `${BASE}/voice`, params);
    const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: tenant.sid });
    const peerEnv = {
      ACCOUNT_SID: tenant.sid,
      AUTH_TOKEN: tenant.authToken,
      API_KEY: tenant.apiKeySid,
      API_SECRET: tenant.apiKeySecret,
      TWIML_APPLICATION_SID: tenant.twimlAppSid,
    };
    const request = (headers: Record<string, string>, fields: Record<string, string> = {}) => ({
      request: { headers, cookies: {} },
      ...fields,
    });
    const dialled = (body: string) => body.includes('<Number>+14155550199</Number>');
    const subjects = {
      voice: {
        ours: {
          functionPath: path.join(root, 'dist/functions/voice.js'),
          path: '/voice',
          env,
          event: request({ 'x-twilio-signature': signature }, params),
          check: dialled,
        },
        peer: {
          functionPath: peers.voice,
          path: '/voice',
          env: peerEnv,
          event: request({}, params),
          processEnv: { CALLER_ID: callerId },
          check: dialled,
        },
      },
      token: {
        ours: {
          functionPath: path.join(root, 'dist/functions/token.js'),
          path: '/token',
          env,
          event: request({ authorization: `Bearer ${ticket}`, origin: BASE }),
          check: (body: string) => body.includes('"token"') && body.includes('"identity":"alice"'),
        },
        peer: {
          functionPath: peers.token,
          path: '/token',
          env: peerEnv,
          event: request({}),
          check: (body: string) => body.includes('"token"'),
        },
      },
    } satisfies Record<string, { ours: Start; peer: Start }>;
    const order = [subjects.voice.ours, subjects.voice.peer, subjects.token.ours, subjects.token.peer];
    // One start of each first: the files are then in the OS page cache for every measured start.
    for (const start of order) await coldStart(start);

    const rounds: Phases[][][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const samples: Phases[][] = order.map(() => []);
      for (let i = 0; i < RUNS; i++) {
        for (const [index, start] of order.entries()) samples[index]?.push(await coldStart(start));
      }
      rounds.push(samples);
    }
    return [row('/voice', rounds, 0), row('/token', rounds, 2)];
  } finally {
    await sandbox.close();
  }
}

/** The peers' handlers as function files of their own (CommonJS, npm packages left as `require`s). */
async function buildPeers(): Promise<{ voice: string; token: string }> {
  mkdirSync(PEERS, { recursive: true });
  const files = { voice: 'functionTemplatesVoice', token: 'functionTemplatesToken' } as const;
  for (const [name, handler] of Object.entries(files)) {
    const entry = path.join(PEERS, `${name}.entry.ts`);
    writeFileSync(
      entry,
      `export { ${handler} as handler } from ${JSON.stringify(path.join(__dirname, 'peers'))};\n`,
    );
    await build({
      entryPoints: [entry],
      outfile: path.join(PEERS, `${name}.js`),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      logLevel: 'warning',
    });
  }
  return { voice: path.join(PEERS, 'voice.js'), token: path.join(PEERS, 'token.js') };
}

/** Starts a fresh runner, sends it one request, and answers the phases of its start. */
function coldStart(start: Start): Promise<Phases> {
  const { NODE_OPTIONS: _tsx, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const forkedAt = performance.timeOrigin + performance.now();
    const child = fork(RUNNER, [], {
      cwd: root,
      execArgv: ['--require', PROBE],
      env: { ...inherited, ...start.processEnv },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('message', (message: { reply?: { body?: unknown }; err?: unknown; marks?: Marks }) => {
      if (!message.reply && !message.err) return;
      child.kill();
      const body = message.reply?.body;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      if (!message.reply || !message.marks || !start.check(text)) {
        reject(new Error(`${start.path} answered ${text ?? JSON.stringify(message.err)}\n${stderr}`));
        return;
      }
      const marks = message.marks;
      resolve({
        total: marks.answered - forkedAt,
        node: marks.started - forkedAt,
        runtime: marks.message - marks.started,
        twilio: marks.twilio.ended - marks.twilio.started,
        load: marks.function.ended - marks.function.started,
        answer: marks.answered - marks.function.ended,
      });
    });
    child.send({
      functionPath: start.functionPath,
      event: start.event,
      config: { url: BASE, env: start.env, baseDir: root, routes: { functions: [], assets: [] } },
      path: start.path,
    });
  });
}

const medianPhases = (samples: readonly Phases[]): Phases =>
  Object.fromEntries(
    (['total', ...PHASES] as const).map((phase) => [phase, medianOf(samples.map((s) => s[phase]))]),
  ) as unknown as Phases;

const split = (phases: Phases) => PHASES.map((phase) => `${phase} ${ms(phases[phase])}`).join(', ');

function row(name: string, rounds: readonly Phases[][][], index: number): BenchRow {
  const ours = rounds.map((samples) => medianPhases(samples[index] ?? []));
  const peer = rounds.map((samples) => medianPhases(samples[index + 1] ?? []));
  const ratios = ours.map((o, round) => o.total / (peer[round] as Phases).total);
  const all = (which: number) => medianPhases(rounds.flatMap((samples) => samples[which] ?? []));
  return {
    name: `cold start to the first ${name} answer, \`twilio\` preloaded as the runtime does (fresh processes, ${ROUNDS} interleaved rounds of ${RUNS})`,
    result: `median ${ms(all(index).total)} (${split(all(index))}); ratio per round ${ratios.map((r) => r.toFixed(2)).join(', ')}`,
    baseline: `function-templates' ${name} function: median ${ms(all(index + 1).total)} (${split(all(index + 1))})`,
    ratio: medianOf(ratios),
    target: '<= 1.15x',
  };
}
