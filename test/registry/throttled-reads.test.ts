/**
 * Sync throttles an object read more than 20 times a second (429). The hot paths' registry reads are
 * retried with backoff by the Twilio client (3 times, full jitter up to 800 ms: within a Function's
 * 10 s); a read still throttled after that answers a 503 on /token and the apology on /voice, never a
 * token or a call decided without the registry.
 */
import { findVerb } from '../../sandbox';
import { handler as token } from '../../src/functions/token';
import { handler as voice } from '../../src/functions/voice';
import { ACCOUNT_ITEM } from '../../src/registry/layout';
import { FAILED_READ_MS, clearTenantCache } from '../../src/registry/tenant-cache';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { MAX_429_RETRIES } from '../../src/twilio/rest-settings';
import { APOLOGY } from '../../src/voice/twiml';
import { invokeFunction } from '../../testkit/function-runtime';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { useSandbox } from '../helpers/sandbox';
import { serviceEnv } from '../../testkit/service-env';
import { callParams, signedWebhookCall } from '../../testkit/signed-webhook';
import { twimlOf } from '../../testkit/twiml';

const sandbox = useSandbox();
let env: Record<string, string>;
let tenant: ProvisionedTenant;

beforeEach(async () => {
  env = sandboxEnv(sandbox(), serviceEnv());
  tenant = await provisionTenant(sandbox(), env);
  clearTenantCache();
});

/** Sync answers the next `times` reads of the tenant's `account` item with 429. */
const throttleAccountReads = (times: number) => {
  for (let n = 1; n <= times; n++) {
    sandbox().failRequest(n, '429', { match: { method: 'GET', path: `/Items/${ACCOUNT_ITEM}` } });
  }
};

const postToken = () =>
  invokeFunction(token, {
    env,
    path: '/token',
    headers: {
      authorization: `Bearer ${mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: tenant.sid })}`,
    },
  });

const browserCall = () =>
  invokeFunction(
    voice,
    signedWebhookCall({
      env,
      path: '/voice',
      params: callParams({ accountSid: tenant.sid, from: 'client:alice', to: '+14155550199' }),
      authToken: tenant.authToken,
    }),
  );

it('retries a throttled registry read and answers as usual', async () => {
  throttleAccountReads(MAX_429_RETRIES);
  expect((await postToken()).statusCode).toBe(200);
  expect(sandbox().countRequests({ method: 'GET', status: 429 })).toBe(MAX_429_RETRIES);
});

it('answers /token with a 503 once the retries are spent, and a request after FAILED_READ_MS reads again', async () => {
  throttleAccountReads(MAX_429_RETRIES + 1);
  const refused = await postToken();
  expect(refused.statusCode).toBe(503);
  expect(refused.json<{ error: { code: string } }>().error.code).toBe('twilio_rate_limited');
  expect(refused.text).not.toContain('"token"');
  // Within FAILED_READ_MS the failure answers again without a read: requests that keep arriving for a
  // tenant whose read fails do not each read its Map.
  const reads = () => sandbox().countRequests({ method: 'GET', path: `/Items/${ACCOUNT_ITEM}` });
  const readsBefore = reads();
  expect((await postToken()).statusCode).toBe(503);
  expect(reads()).toBe(readsBefore);
  const later = Date.now() + FAILED_READ_MS;
  const clock = jest.spyOn(Date, 'now').mockImplementation(() => later);
  try {
    expect((await postToken()).statusCode).toBe(200);
  } finally {
    clock.mockRestore();
  }
  expect(reads()).toBe(readsBefore + 1);
});

it('answers /voice with the apology once the retries are spent', async () => {
  throttleAccountReads(MAX_429_RETRIES + 1);
  const twiml = twimlOf((await browserCall()).text);
  expect(findVerb(twiml, 'Dial')).toBeUndefined();
  expect(findVerb(twiml, 'Say')?.text).toBe(APOLOGY);
});
