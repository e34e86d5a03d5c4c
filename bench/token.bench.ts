/**
 * Warm POST /token in-process (the built dist/functions/token.js: ticket check, cached tenant, token
 * signed with the subaccount's key) beside twilio's own `AccessToken.toJwt()` for the same claims.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import AccessToken from 'twilio/lib/jwt/AccessToken';
import { startSandbox } from '../sandbox';
import type { FunctionHandler } from '../src/http/json-function';
import type { FunctionEvent } from '../src/http/request-input';
import { mintTicket } from '../src/tokens/mint-ticket';
import { serviceEnv } from '../test/helpers/service-env';
import { provisionTenant, sandboxEnv } from '../test/helpers/provision-tenant';
import { describeTiming, time, type BenchRow } from './harness';

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
    const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', {
      identity: 'alice',
      accountSid: tenant.sid,
      ttlSeconds: 3600,
    });
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
    let status = 0;
    const postToken = () =>
      handler(context, event, (_error, response) => {
        status = (response as { statusCode: number }).statusCode;
      });
    await postToken();
    if (status !== 200) throw new Error(`/token answered ${status} in the benchmark set-up`);
    const requestsBefore = sandbox.countRequests();

    const keySecret = tenant.apiKeySecret;
    const plainAccessToken = () => {
      const token = new AccessToken(tenant.sid, tenant.apiKeySid, keySecret, { identity: 'alice' });
      token.addGrant(
        new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: tenant.twimlAppSid }),
      );
      return token.toJwt();
    };
    // Timed one after the other: interleaved, the garbage toJwt() leaves would be collected in our time.
    const ours = await time(postToken, 5000, 500);
    const twilios = await time(plainAccessToken, 2000, 200);
    if (sandbox.countRequests() !== requestsBefore) throw new Error('a warm /token made a REST call');
    return [
      {
        name: '/token warm, in-process (ticket check + tenant + token)',
        result: describeTiming(ours),
        baseline: `AccessToken.toJwt() alone: ${describeTiming(twilios)}`,
        ratio: ours.medianMs / twilios.medianMs,
        target: 'median <= 100 us',
      },
    ];
  } finally {
    await sandbox.close();
  }
}
