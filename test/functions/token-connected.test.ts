/**
 * /token for a connected account (a customer's own Twilio account): a token once Twilio refuses the
 * auth token held for it is refused with the sentence that says to update the credentials, and a
 * disconnected one is refused as such. In-process, so the tenant cache is the one the test writes through.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import { handler } from '../../src/functions/token';
import { clearTenantCache } from '../../src/registry/tenant-cache';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { invokeFunction } from '../../testkit/function-runtime';
import { provisionTenant, sandboxEnv, updateTenantRecord } from '../../testkit/provision-tenant';
import { serviceEnv } from '../../testkit/service-env';

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox, serviceEnv());
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => clearTenantCache());

const tokenFor = (accountSid: string) =>
  invokeFunction(handler, {
    path: '/token',
    env,
    headers: {
      authorization: `Bearer ${mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid })}`,
    },
  });

type ErrorAnswer = { error: { code: string; message: string } };

it('refuses a connected account whose token Twilio refuses, saying to update the credentials', async () => {
  const tenant = await provisionTenant(sandbox, env, { record: { kind: 'connected' } });
  const connection = { connectedAt: new Date().toISOString(), pointedNumbers: [], credentialsRejected: null };
  await updateTenantRecord(env, tenant, { connection });
  expect((await tokenFor(tenant.sid)).statusCode).toBe(200);

  const rejected = { ...connection, credentialsRejected: { at: new Date().toISOString(), code: 20003 } };
  await updateTenantRecord(env, tenant, { connection: rejected });
  const refused = await tokenFor(tenant.sid);
  expect(refused.statusCode).toBe(403);
  const { error } = refused.json<ErrorAnswer>();
  expect(error.code).toBe('credentials_rejected');
  expect(error.message).toMatch(/update the credentials/);

  await updateTenantRecord(env, tenant, { status: 'disconnected', connection });
  expect((await tokenFor(tenant.sid)).json<ErrorAnswer>().error.code).toBe('account_disconnected');
});
