/**
 * POST /token warm, in-process, beside its peers in one interleaved run, three rounds:
 * - ours: the built function as deployed (ticket verified, tenant read from the cache, token signed
 *   with the subaccount's key);
 * - function-templates' token handler (bench/peers.ts): no ticket, no tenant, a fixed identity, and
 *   `AccessToken.toJwt()` with the key secret as a string;
 * - jsonwebtoken with `KeyObject`s on both sides: one HS256 verify of the ticket and one HS256 sign of
 *   the same claims, keys prepared once (the work no implementation of ours can skip).
 * Each answer is finished as the runtime finishes it (a Response's body as JSON text).
 */
import { createSecretKey } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { startSandbox } from '../sandbox';
import type { FunctionHandler } from '../src/http/json-function';
import type { FunctionEvent } from '../src/http/request-input';
import { mintTicket } from '../src/tokens/mint-ticket';
import { serviceEnv } from '../testkit/service-env';
import { provisionTenant, sandboxEnv } from '../testkit/provision-tenant';
import { describeTiming, medianOf, timeTogether, type BenchRow, type Timing } from './harness';
import { finishAnswer, functionTemplatesToken } from './peers';

const ROUNDS = 3;
const SAMPLES = 3000;
const WARMUP = 500;

// The Functions runtime's own Response class, as the deployed function gets it (the package's exports
// map only lists ./dev, so it is found next to that file).
const devRuntime = path.dirname(require.resolve('@twilio/runtime-handler/dev'));
// Built CommonJS files are loaded as the runtime loads them.
const load = createRequire(__filename);
const { Response } = load(path.join(devRuntime, 'internal/response')) as { Response: unknown };

export async function run(): Promise<BenchRow[]> {
  (globalThis as unknown as { Twilio: unknown }).Twilio = { Response };
  const sandbox = await startSandbox();
  try {
    const env = sandboxEnv(sandbox, serviceEnv());
    const tenant = await provisionTenant(sandbox, env);
    const ticketSecret = env.TOKEN_TICKET_SECRET ?? '';
    const ticket = mintTicket(ticketSecret, { identity: 'alice', accountSid: tenant.sid, ttlSeconds: 3600 });
    const { handler } = load(path.resolve(__dirname, '../dist/functions/token.js')) as {
      handler: FunctionHandler;
    };
    const context = { ...env, DOMAIN_NAME: 'voice.example.com', PATH: '/token' } as never;
    const event = {
      request: {
        headers: { authorization: `Bearer ${ticket}`, origin: 'https://voice.example.com' },
        cookies: {},
      },
    } as unknown as FunctionEvent;
    const peerContext = {
      ...env,
      ACCOUNT_SID: tenant.sid,
      API_KEY: tenant.apiKeySid,
      API_SECRET: tenant.apiKeySecret,
      TWIML_APPLICATION_SID: tenant.twimlAppSid,
    } as never;
    let answer = '';
    let status = 0;
    const finish = (_error: unknown, payload?: unknown) => {
      status = (payload as { statusCode?: number }).statusCode ?? 200;
      answer = finishAnswer(payload);
    };
    const ours = async () => {
      await handler(context, event, finish);
    };
    const peer = () => functionTemplatesToken(peerContext, {}, finish);
    const ticketKey = createSecretKey(Buffer.from(ticketSecret, 'utf8'));
    const signingKey = createSecretKey(Buffer.from(tenant.apiKeySecret, 'utf8'));
    const keyObjects = () => {
      jwt.verify(ticket, ticketKey, { algorithms: ['HS256'] });
      const now = Math.floor(Date.now() / 1000);
      const grants = {
        identity: 'alice',
        voice: { incoming: { allow: true }, outgoing: { application_sid: tenant.twimlAppSid } },
      };
      answer = jwt.sign({ jti: `${tenant.apiKeySid}-${now}`, grants, iat: now }, signingKey, {
        algorithm: 'HS256',
        header: { alg: 'HS256', cty: 'twilio-fpa;v=1', typ: 'JWT' },
        issuer: tenant.apiKeySid,
        subject: tenant.sid,
        expiresIn: 3600,
      });
    };
    for (const run of [ours, peer]) {
      await run();
      if (status !== 200 || !answer.includes('"token"'))
        throw new Error(`unexpected answer in the set-up: ${status} ${answer}`);
    }
    const requestsBefore = sandbox.countRequests();
    const rounds: [Timing, Timing, Timing][] = [];
    for (let round = 0; round < ROUNDS; round++)
      rounds.push(await timeTogether([ours, peer, keyObjects], SAMPLES, WARMUP));
    if (sandbox.countRequests() !== requestsBefore) throw new Error('a warm /token made a REST call');
    const last = rounds[rounds.length - 1] as [Timing, Timing, Timing];
    const toPeer = rounds.map(([a, b]) => a.medianMs / b.medianMs);
    const toKeys = rounds.map(([a, , c]) => a.medianMs / c.medianMs);
    return [
      {
        name: `/token warm, in-process, ticket and tenant checked (median of ${ROUNDS} interleaved rounds)`,
        result: `${describeTiming(last[0])}; ratio per round ${toPeer.map((r) => r.toFixed(2)).join(', ')}`,
        baseline: `function-templates' token handler (no checks, string secret): ${describeTiming(last[1])}`,
        ratio: medianOf(toPeer),
      },
      {
        name: '/token warm, in-process, against jsonwebtoken with KeyObjects',
        result: `ratio per round ${toKeys.map((r) => r.toFixed(2)).join(', ')}`,
        baseline: `HS256 verify + HS256 sign, prepared keys: ${describeTiming(last[2])}`,
        ratio: medianOf(toKeys),
      },
    ];
  } finally {
    await sandbox.close();
  }
}
