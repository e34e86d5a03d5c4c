/**
 * Cold start to the first answer: what a tenant's first call meets on a new Functions instance. Each
 * start is a fresh node process running the Functions runtime's own function runner, `twilio` loaded
 * before the function on both sides, as the runtime does (testkit/cold-start.ts).
 *
 * Measured beside function-templates' voice and token functions (bench/peers.ts, built into
 * node_modules/.cache for the runner to load): ours answers a browser client's call to a number of a
 * tenant never seen by the process (signature checked, tenant and number read from the sandbox, the
 * number classified by the toll-fraud guard) and a ticket for that tenant; the peers check nothing.
 * Starts are interleaved (one of each per step, so all meet the same load on shared cores), RUNS per
 * subject per round, three rounds; each round's ratio is of medians, the row's is the median round's.
 * A probe preloaded into every process alike (testkit/cold-start-probe.js) marks the phases.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startSandbox } from '../sandbox';
import { mintTicket } from '../src/tokens/mint-ticket';
import { provisionTenant, sandboxEnv } from '../testkit/provision-tenant';
import { serviceEnv } from '../testkit/service-env';
import {
  coldStart,
  PHASES,
  type ColdStartPhases as Phases,
  type ColdStartRequest,
} from '../testkit/cold-start';
import { callParams } from '../testkit/signed-webhook';
import { medianOf, ms, type BenchRow } from './harness';

const root = path.resolve(__dirname, '..');
const PEERS = path.join(root, 'node_modules/.cache/cold-start-peers');
const BASE = 'https://voice.example.com';
const ROUNDS = 3;
const RUNS = 9;

type Start = Omit<ColdStartRequest, 'url'> & { check: (body: string) => boolean };

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
    for (const start of order) await measured(start);

    const rounds: Phases[][][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const samples: Phases[][] = order.map(() => []);
      for (let i = 0; i < RUNS; i++) {
        for (const [index, start] of order.entries()) samples[index]?.push(await measured(start));
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

/** One start's phases, its answer checked. */
async function measured(start: Start): Promise<Phases> {
  const { check, ...request } = start;
  const { phases, body } = await coldStart({ ...request, url: BASE });
  if (!check(body)) throw new Error(`${start.path} answered ${body}`);
  return phases;
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
