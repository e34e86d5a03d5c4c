/**
 * /voice warm, in-process, beside its peers in one interleaved run (each step times one call of each,
 * so all meet the same load on the shared cores), three rounds:
 * - ours: the built function as deployed, for a browser client's call to a number of a tenant whose
 *   registry item and auth token are cached, with a genuine signature (checked, tenant admitted);
 * - function-templates' voice handler (bench/peers.ts), which checks no signature and no tenant;
 * - a hand floor: one HMAC-SHA1 over the URL and sorted parameters, `timingSafeEqual`, template TwiML.
 * Each handler's answer is finished as the runtime finishes it (the XML text). Cold load: in fresh node
 * processes, `require` of the built function after `require('twilio')` (the Functions runtime loads
 * `twilio` before any function), against `require('twilio')` alone.
 */
import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startSandbox } from '../sandbox';
import type { FunctionHandler } from '../src/http/json-function';
import type { FunctionEvent } from '../src/http/request-input';
import { invokeFunction } from '../testkit/function-runtime';
import { provisionTenant, sandboxEnv } from '../testkit/provision-tenant';
import { serviceEnv } from '../testkit/service-env';
import { callParams } from '../testkit/signed-webhook';
import { describeTiming, medianOf, ms, timeTogether, type BenchRow, type Timing } from './harness';
import { finishAnswer, functionTemplatesVoice } from './peers';

const root = path.resolve(__dirname, '..');
const COLD_RUNS = 7;
const ROUNDS = 3;
const SAMPLES = 10_000;
const WARMUP = 3_000;
const built = (name: string) => path.join(root, 'dist/functions', name);

export async function run(): Promise<BenchRow[]> {
  return [...(await warm()), cold('voice.js'), cold('token.js')];
}

async function warm(): Promise<BenchRow[]> {
  const sandbox = await startSandbox();
  try {
    const env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: 'https://voice.example.com' }));
    const tenant = await provisionTenant(sandbox, env, { authTokenInRegistry: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler }: { handler: FunctionHandler } = require(built('voice.js'));
    const to = '+14155550199';
    const callerId = tenant.numbers[0] ?? '';
    const params = callParams({ accountSid: tenant.sid, from: 'client:alice', to });
    const url = `${env.PUBLIC_BASE_URL}/voice`;
    const signature = getExpectedTwilioSignature(tenant.authToken, url, params);
    const headers = { 'x-twilio-signature': signature };
    // One request through the runtime's own event construction fills the caches (and sets Twilio.Response).
    const first = await invokeFunction(handler, { env, path: '/voice', body: params, headers });
    if (!first.text.includes('<Number>')) throw new Error(`unexpected warm-up answer: ${first.text}`);
    process.env.CALLER_ID = callerId;

    // The runtime builds the event and context either way; each handler's own work is what is timed.
    const event = { request: { headers, cookies: {} }, ...params } as unknown as FunctionEvent;
    const context = { ...env, PATH: '/voice', DOMAIN_NAME: 'voice.example.com' } as never;
    let answer = '';
    const finish = (_error: unknown, payload?: unknown) => {
      answer = finishAnswer(payload);
    };
    const ours = async () => {
      await handler(context, event, finish);
    };
    const peer = () => functionTemplatesVoice(context, event, finish);
    const presented = Buffer.from(signature, 'base64');
    const floor = () => {
      let signed = url;
      for (const name of Object.keys(params).sort()) signed += name + params[name];
      const expected = createHmac('sha1', tenant.authToken).update(signed).digest();
      if (!(presented.length === expected.length && timingSafeEqual(presented, expected)))
        throw new Error('floor');
      answer = `<?xml version="1.0" encoding="UTF-8"?><Response><Dial callerId="${callerId}" answerOnBridge="true"><Number>${to}</Number></Dial></Response>`;
    };
    // The same call answered by each (the peer writes the two Dial attributes in the other order).
    for (const run of [ours, peer, floor]) {
      answer = '';
      await run();
      if (!answer.includes(`callerId="${callerId}"`) || !answer.includes(`<Number>${to}</Number>`))
        throw new Error(`unexpected answer in the benchmark set-up: ${answer}`);
    }

    const requestsBefore = sandbox.countRequests();
    const rounds: [Timing, Timing, Timing][] = [];
    for (let round = 0; round < ROUNDS; round++)
      rounds.push(await timeTogether([ours, peer, floor], SAMPLES, WARMUP));
    if (sandbox.countRequests() !== requestsBefore) throw new Error('a warm /voice request called Twilio');
    const toPeer = rounds.map(([a, b]) => a.medianMs / b.medianMs);
    const toFloor = rounds.map(([a, , c]) => a.medianMs / c.medianMs);
    const last = rounds[rounds.length - 1] as [Timing, Timing, Timing];
    return [
      {
        name: `/voice warm, in-process, signature and tenant checked (median of ${ROUNDS} interleaved rounds)`,
        result: `${describeTiming(last[0])}; ratio per round ${toPeer.map((r) => r.toFixed(2)).join(', ')}`,
        baseline: `function-templates' voice handler (no checks): ${describeTiming(last[1])}`,
        ratio: medianOf(toPeer),
        target: '<= 1.2x',
      },
      {
        name: '/voice warm, in-process, against the hand floor',
        result: `ratio per round ${toFloor.map((r) => r.toFixed(2)).join(', ')}`,
        baseline: `HMAC-SHA1 + timingSafeEqual + template TwiML: ${describeTiming(last[2])}`,
        ratio: medianOf(toFloor),
      },
    ];
  } finally {
    await sandbox.close();
  }
}

/**
 * In fresh node processes (COLD_RUNS, alternating between the two measurements): milliseconds to
 * `require('twilio')`, and to `require` the function right after it. Medians.
 */
function cold(name: string): BenchRow {
  const script = `const t0=process.hrtime.bigint();require('twilio');const t1=process.hrtime.bigint();require(${JSON.stringify(built(name))});const t2=process.hrtime.bigint();process.stdout.write(JSON.stringify([Number(t1-t0)/1e6,Number(t2-t1)/1e6]))`;
  const samples = Array.from(
    { length: COLD_RUNS },
    () =>
      JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })) as [
        number,
        number,
      ],
  );
  const twilioMs = medianOf(samples.map(([twilio]) => twilio));
  const bothMs = medianOf(samples.map(([twilio, fn]) => twilio + fn));
  const fnMs = medianOf(samples.map(([, fn]) => fn));
  return {
    name: `cold load of dist/functions/${name} after \`twilio\` (fresh process)`,
    result: `\`twilio\` + function: median ${ms(bothMs)} (function ${ms(fnMs)}; ${COLD_RUNS} processes)`,
    baseline: `\`require('twilio')\` alone: median ${ms(twilioMs)}`,
    ratio: bothMs / twilioMs,
  };
}
