/**
 * The default calling policy follows the caller ID's country. That country is worked out where admin
 * code writes the registry item and kept in it (`callerCountry`), so /token and /voice read it instead
 * of loading numbering metadata on a cold start; an item written without it is still understood.
 */
import { handler as token } from '../../src/functions/token';
import { loadConfig } from '../../src/config/config';
import { ACCOUNT_ITEM, tenantMapName } from '../../src/registry/layout';
import { subaccountRegistry } from '../../src/registry/registry';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { callingPolicyOf } from '../../src/toll-fraud/calling-policy';
import { invokeFunction } from '../../testkit/function-runtime';
import { provisionTenant, sandboxEnv, updateTenantRecord } from '../../testkit/provision-tenant';
import { serviceEnv } from '../../testkit/service-env';
import { useSandbox } from '../helpers/sandbox';
import { itemOf } from '../helpers/sync-items';

const sandbox = useSandbox();

it("keeps the caller ID's country in the account item at every write, and /token's policy follows it", async () => {
  const env = sandboxEnv(sandbox(), serviceEnv());
  const tenant = await provisionTenant(sandbox(), env);
  const accountItem = () => itemOf(sandbox(), tenantMapName(tenant.sid), ACCOUNT_ITEM).data;
  expect(tenant.record.callerId).toMatch(/^\+1/);
  expect(accountItem()).toMatchObject({ callerId: tenant.record.callerId, callerCountry: 'US' });

  // A Canadian caller ID (Vancouver, +1 604): the same calling code, another country.
  await updateTenantRecord(env, tenant, { callerId: '+16045550123' });
  expect(accountItem()).toMatchObject({ callerId: '+16045550123', callerCountry: 'CA' });
  const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: tenant.sid });
  const answer = await invokeFunction(token, {
    env,
    path: '/token',
    headers: { authorization: `Bearer ${ticket}` },
  });
  expect(answer.json()).toMatchObject({ callingPolicy: { allowedCountries: ['CA'] } });

  // Without a caller ID there is no country to keep; the record admin code reads never carries it.
  await updateTenantRecord(env, tenant, { callerId: null });
  expect(accountItem()).not.toHaveProperty('callerCountry');
  const record = await subaccountRegistry(loadConfig(env)).get(tenant.sid);
  expect(record?.data).not.toHaveProperty('callerCountry');
});

it('reads the kept country as it is, and works it out for an item written without one', () => {
  expect(callingPolicyOf({ callerId: '+14155550100', callerCountry: 'US' }).allowedCountries).toEqual(['US']);
  expect(callingPolicyOf({ callerId: '+16045550123' }).allowedCountries).toEqual(['CA']);
  expect(callingPolicyOf({ callerId: null }).allowedCountries).toEqual(['US']);
  expect(
    callingPolicyOf({ callerId: '+14155550100', callerCountry: 'US', allowedCountries: ['GB'] })
      .allowedCountries,
  ).toEqual(['GB']);
});
