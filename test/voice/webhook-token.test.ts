/**
 * A rotated auth token on two instances, on a simulated clock (the hot-path functions take `now`):
 * once one instance has seen a request signed with the new token, the old one stops verifying there at
 * once, and on an instance that held the old copy within the tenant item's maximum age.
 */
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { loadConfig, type ServiceConfig } from '../../src/config/config';
import { TENANT_MAX_AGE_MS, clearTenantCache } from '../../src/registry/tenant-cache';
import { webhookAccountOf } from '../../src/voice/voice-policy';
import { signingTokensOf } from '../../src/voice/webhook-token';
import { isGenuineTwilioRequest } from '../../src/webhooks/verify-webhook';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { useSandbox } from '../helpers/sandbox';
import { serviceEnv } from '../../testkit/service-env';
import { callParams } from '../../testkit/signed-webhook';

const BASE = 'https://voice.example.com';
const sandbox = useSandbox();

/** Whether `config`'s instance takes a /voice request signed with `authToken` at `now`. */
async function accepts(config: ServiceConfig, tenant: ProvisionedTenant, authToken: string, now: number) {
  const params = callParams({ accountSid: tenant.sid, from: 'client:alice', to: '+14155550199' });
  const signature = getExpectedTwilioSignature(authToken, `${BASE}/voice`, params);
  const account = await webhookAccountOf(config, tenant.sid, now);
  if (account?.kind !== 'tenant') return false;
  const tokens = signingTokensOf(config, tenant.sid, account.tenant, now);
  return isGenuineTwilioRequest(config, { signature, path: '/voice', params }, tokens);
}

it('refuses the old token on every instance within the maximum age once one saw the new one', async () => {
  const env = sandboxEnv(sandbox(), serviceEnv({ PUBLIC_BASE_URL: BASE }));
  clearTenantCache();
  const tenant = await provisionTenant(sandbox(), env, { authTokenInRegistry: true });
  // Two instances: configurations that differ in a variable the cache scope covers.
  const first = loadConfig({ ...env, ALLOWED_ORIGINS: 'https://first.example.com' });
  const second = loadConfig({ ...env, ALLOWED_ORIGINS: 'https://second.example.com' });
  const t1 = tenant.authToken;
  const start = Date.now();
  expect(await accepts(first, tenant, t1, start)).toBe(true);
  expect(await accepts(second, tenant, t1, start)).toBe(true);

  const t2 = sandbox().rotateAuthToken(tenant.sid);
  // The first instance gets Twilio's first request signed with T2: it reads T2 and replaces the copy.
  expect(await accepts(first, tenant, t2, start + 1)).toBe(true);
  expect(await accepts(first, tenant, t1, start + 2)).toBe(false);
  // The second still holds the old copy, within the bound; past the tenant item's maximum age it reads
  // the replaced copy and refuses T1 (one read of Twilio's token at most, which shows nothing newer).
  const fetches = () => sandbox().countRequests({ method: 'GET', path: `/Accounts/${tenant.sid}.json` });
  const fetched = fetches();
  expect(await accepts(second, tenant, t2, start + TENANT_MAX_AGE_MS)).toBe(true);
  expect(await accepts(second, tenant, t1, start + TENANT_MAX_AGE_MS + 1)).toBe(false);
  expect(fetches() - fetched).toBeLessThanOrEqual(1);
});
