/**
 * A cold /voice for a browser client's call to a number classifies that number (the toll-fraud
 * guard's parse and type, which on a new instance loads libphonenumber-js and its calling code's
 * metadata) while its tenant's registry read is in flight, not after the read returns. Observed in
 * lockstep: the sandbox holds every request until the test releases it.
 */
import { handler as voice } from '../../src/functions/voice';
import { clearTenantCache } from '../../src/registry/tenant-cache';
import { classifyAhead } from '../../src/toll-fraud/destination-guard';
import { invokeFunction } from '../../testkit/function-runtime';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { serviceEnv } from '../../testkit/service-env';
import { callParams, signedWebhookCall } from '../../testkit/signed-webhook';
import { verbsOf } from '../../testkit/twiml';
import { useSandbox } from '../helpers/sandbox';

// The guard as it is, its `classifyAhead` counted.
jest.mock('../../src/toll-fraud/destination-guard', () => {
  const actual = jest.requireActual<typeof import('../../src/toll-fraud/destination-guard')>(
    '../../src/toll-fraud/destination-guard',
  );
  return { ...actual, classifyAhead: jest.fn(actual.classifyAhead) };
});
const classified = classifyAhead as jest.MockedFunction<typeof classifyAhead>;

const BASE = 'https://voice.example.com';
const sandbox = useSandbox({ emptyBeforeEach: false });
let env: Record<string, string>;
let tenant: ProvisionedTenant;

beforeAll(async () => {
  env = sandboxEnv(sandbox(), serviceEnv({ PUBLIC_BASE_URL: BASE, ALLOWED_ORIGINS: BASE }));
  tenant = await provisionTenant(sandbox(), env, { authTokenInRegistry: true });
});

/** Holds every request the sandbox receives until `release`. */
function holdRequests() {
  const held: (() => void)[] = [];
  const core = sandbox();
  const latency = core.latency.bind(core);
  core.latency = () => new Promise<void>((resolve) => held.push(resolve));
  return {
    held,
    release() {
      core.latency = latency;
      for (const answer of held.splice(0)) answer();
    },
  };
}

/** Yields to the event loop until `done()` holds, for at most 10 s. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
}

const call = (accountSid: string, from: string, to: string, authToken = tenant.authToken) =>
  invokeFunction(
    voice,
    signedWebhookCall({ env, path: '/voice', params: callParams({ accountSid, from, to }), authToken }),
  );

describe('a cold /voice', () => {
  beforeEach(() => {
    clearTenantCache();
    classified.mockClear();
  });

  it("classifies a browser client's dialled number while its tenant's read is held", async () => {
    const hold = holdRequests();
    const answer = call(tenant.sid, 'client:alice', '+14155550199');
    // The `account` item and the tenant's directory summary, both held unanswered.
    await until(() => hold.held.length >= 2 && classified.mock.calls.length > 0);
    expect(hold.held.length).toBeGreaterThanOrEqual(2);
    expect(classified.mock.calls).toEqual([['+14155550199']]);
    hold.release();
    expect(verbsOf((await answer).text)).toEqual(['Dial>Number']);
  });

  it('classifies nothing ahead for an inbound call, or for a SID that is not ours', async () => {
    expect(verbsOf((await call(tenant.sid, '+14155550100', tenant.numbers[0] ?? '')).text)).toContain('Say');
    const stranger = `AC${'0'.repeat(31)}1`;
    expect((await call(stranger, 'client:alice', '+14155550199', 'f'.repeat(32))).statusCode).toBe(403);
    expect(classified).not.toHaveBeenCalled();
  });
});
