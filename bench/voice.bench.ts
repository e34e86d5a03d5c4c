/**
 * /voice: the warm handler against the work no implementation can avoid, and the cold load of the
 * built function against loading the `twilio` package.
 * - warm (the built function, as deployed): a browser client's call to a number, for a subaccount whose registry item and auth token are
 *   cached, with a genuine signature; baseline: building the same `<Dial>` with Twilio's VoiceResponse
 *   and checking one signature with Twilio's validator.
 * - cold: `require` of dist/functions/voice.js in fresh node processes vs `require('twilio')` alone.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';
import { startSandbox } from '../sandbox';
import type { FunctionHandler } from '../src/http/json-function';
import type { FunctionEvent } from '../src/http/request-input';
import { invokeFunction } from '../test/helpers/function-runtime';
import { provisionTenant, sandboxEnv } from '../test/helpers/provision-tenant';
import { serviceEnv } from '../test/helpers/service-env';
import { callParams } from '../test/helpers/signed-webhook';
import { describeTiming, ms, timeTogether, type BenchRow } from './harness';

const root = path.resolve(__dirname, '..');
const COLD_RUNS = 7;
const SAMPLES = 20_000;
const WARMUP = 5_000;
/** The built function, as deployed (`npm run bench` builds first). */
const builtVoice = path.join(root, 'dist/functions/voice.js');

export async function run(): Promise<BenchRow[]> {
  return [...(await warm()), cold()];
}

async function warm(): Promise<BenchRow[]> {
  const sandbox = await startSandbox();
  try {
    const env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: 'https://voice.example.com' }));
    const tenant = await provisionTenant(sandbox, env);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler }: { handler: FunctionHandler } = require(builtVoice);
    const to = '+14155550199';
    const params = callParams({ accountSid: tenant.sid, from: 'client:alice', to });
    const url = `${env.PUBLIC_BASE_URL}/voice`;
    const signature = getExpectedTwilioSignature(tenant.authToken, url, params);
    const headers = { 'x-twilio-signature': signature };
    // One request through the runtime's own event construction fills the caches (and sets Twilio.Response).
    const first = await invokeFunction(handler, { env, path: '/voice', body: params, headers });
    if (!first.text.includes('<Number>')) throw new Error(`unexpected warm-up answer: ${first.text}`);

    // The runtime builds the event and context either way; the handler's own work is what is timed.
    const event = { request: { headers, cookies: {} }, ...params } as unknown as FunctionEvent;
    const context = { ...env, PATH: '/voice', DOMAIN_NAME: 'voice.example.com' } as never;
    const voice = () => new Promise<void>((resolve) => void handler(context, event, () => resolve()));
    const baseline = () => {
      const response = new VoiceResponse();
      response.dial({ callerId: tenant.numbers[0], answerOnBridge: true }).number(to);
      if (!validateRequest(tenant.authToken, signature, url, params)) throw new Error('baseline signature');
      return response.toString();
    };

    const requestsBefore = sandbox.countRequests();
    const [handlerTiming, baselineTiming] = await timeTogether([voice, baseline], SAMPLES, WARMUP);
    if (sandbox.countRequests() !== requestsBefore) throw new Error('a warm /voice request called Twilio');
    return [
      {
        name: '/voice warm, in-process (median)',
        result: describeTiming(handlerTiming),
        baseline: `VoiceResponse <Dial> + validateRequest: ${describeTiming(baselineTiming)}`,
        ratio: handlerTiming.medianMs / baselineTiming.medianMs,
        target: '<= 1.2x',
      },
      {
        name: '/voice warm, in-process (p99)',
        result: ms(handlerTiming.p99Ms),
        baseline: ms(baselineTiming.p99Ms),
        ratio: handlerTiming.p99Ms / baselineTiming.p99Ms,
        target: '<= 1.2x',
      },
    ];
  } finally {
    await sandbox.close();
  }
}

/** Milliseconds to `require(target)` in a fresh node process, measured inside it; median of COLD_RUNS. */
function coldLoadMs(target: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(target)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const samples = Array.from({ length: COLD_RUNS }, () =>
    Number(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })),
  ).sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

function cold(): BenchRow {
  const voiceMs = coldLoadMs(builtVoice);
  const twilioMs = coldLoadMs('twilio');
  return {
    name: 'dist/functions/voice.js cold load (fresh process)',
    result: `median ${ms(voiceMs)} (${COLD_RUNS} processes)`,
    baseline: `require('twilio'): median ${ms(twilioMs)}`,
    ratio: voiceMs / twilioMs,
    target: '<= 0.5x',
  };
}
