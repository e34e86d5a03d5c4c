/**
 * A `check` sweep at scale, counted rather than timed: which REST requests it makes per subaccount,
 * how many round trips a page takes, how many requests it keeps in flight, and the copy of each
 * subaccount's auth token it compares with Twilio's and repairs.
 */
import { startSandbox, type Sandbox } from '../../../sandbox';
import { adminDeps } from '../../../src/admin/deps';
import { timeBudget } from '../../../src/twilio/time-budget';
import { checkAll, checkParameters } from '../../../src/admin/check/check';
import { loadConfig } from '../../../src/config/config';
import { subaccountRegistry } from '../../../src/registry/registry';
import { openAuthToken } from '../../../src/registry/tenant-auth-token';
import { addTenantsInBulk } from '../../../testkit/bulk-tenants';
import { provisionTenant, sandboxEnv } from '../../../testkit/provision-tenant';
import { countRoundTrips } from '../../../testkit/round-trips';
import { serviceEnv } from '../../../testkit/service-env';

jest.setTimeout(60_000);

const TENANTS = 40;
let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox, serviceEnv());
  await addTenantsInBulk(sandbox, env, TENANTS);
});

afterAll(() => sandbox.close());

// The sweep's work is counted here, not timed: its wall-clock budget (a Function's 10 s) would let a busy
// machine, with the long latency below, stop a page early and check fewer than asked.
const sweep = (body: Record<string, unknown> = {}) =>
  checkAll(
    adminDeps(loadConfig(env)),
    checkParameters.parse({ pageSize: 100, ...body }),
    timeBudget(Number.POSITIVE_INFINITY),
  );

it('reads the accounts in one list and makes four requests per subaccount, in few round trips', async () => {
  const logStart = sandbox.log.length;
  let answer: Awaited<ReturnType<typeof sweep>> | undefined;
  const { roundTrips, requests, peakInFlight } = await countRoundTrips(
    sandbox,
    async () => {
      answer = await sweep();
    },
    150,
  );
  expect(answer?.subaccounts).toHaveLength(TENANTS);
  expect(answer?.inStep).toBe(true);

  const made = sandbox.log.slice(logStart).map((entry) => `${entry.method} ${entry.path}`);
  const count = (pattern: RegExp) => made.filter((request) => pattern.test(request)).length;
  expect(count(/^GET \/2010-04-01\/Accounts\.json$/)).toBe(1);
  expect(count(/^GET \/2010-04-01\/Accounts\/AC[0-9a-f]+\.json$/)).toBe(0);
  expect(count(/\/IncomingPhoneNumbers\.json$/)).toBe(TENANTS);
  expect(count(/\/Applications\.json$/)).toBe(TENANTS);
  expect(count(/\/Keys\.json$/)).toBe(TENANTS);
  expect(count(/\/Maps\/subaccount-AC[0-9a-f]+\/Items$/)).toBe(TENANTS);
  expect(count(/\/Maps\/subaccounts\/Items$/)).toBe(1);
  expect(requests).toBe(2 + 4 * TENANTS);
  // The directory page and the Accounts list together, then per 12 subaccounts their records, numbers,
  // Apps and keys together.
  expect(roundTrips).toBeLessThanOrEqual(1 + Math.ceil(TENANTS / 12));
  expect(peakInFlight).toBeLessThanOrEqual(48);
});

it("reports a registry item without the auth token's copy, and repair adds Twilio's", async () => {
  const tenant = await provisionTenant(sandbox, env);
  const drifted = await sweep();
  const mine = drifted.subaccounts.find((checked) => checked.subaccountSid === tenant.sid);
  expect(mine?.drift.map((drift) => drift.code)).toEqual(['auth_token_outdated']);
  expect(drifted.subaccounts.filter((checked) => !checked.inStep)).toHaveLength(1);

  await sweep({ repair: true });
  const config = loadConfig(env);
  const stored = await subaccountRegistry(config).get(tenant.sid);
  const sealed = stored?.data.authToken;
  expect(sealed && openAuthToken(config.registryEncryptionKey, tenant.sid, sealed)).toBe(tenant.authToken);
  expect((await sweep()).inStep).toBe(true);
});
