/**
 * No item the service writes exceeds Sync's 16 KiB (54006), whatever a customer holds: the worst case
 * the admin functions allow is written through them (the auth token's copy, 300 numbers each routed to 20 identities of 121
 * characters, every replaced key and rotation receipt the registry keeps, every country and every
 * number type of the toll-fraud guard, the longest name), and every item in the sandbox's Sync is measured.
 */
import { getCountries } from 'libphonenumber-js/max';
import { adminDeps } from '../../src/admin/deps';
import { rotateKey } from '../../src/admin/subaccounts/rotate-key';
import { updateParameters, updateSubaccount } from '../../src/admin/subaccounts/update';
import { loadConfig } from '../../src/config/config';
import { MAX_ITEM_BYTES, MAX_RETIRING_KEYS } from '../../src/registry/schema';
import { NUMBER_TYPES } from '../../src/toll-fraud/destination-guard';
import { provisionTenant, sandboxEnv } from '../../testkit/provision-tenant';
import { useSandbox } from '../helpers/sandbox';
import { serviceEnv } from '../../testkit/service-env';

jest.setTimeout(120_000);

const sandbox = useSandbox();

const bytesOf = (data: unknown) => Buffer.byteLength(JSON.stringify(data), 'utf8');

it('keeps every registry item under 16 KiB for 300 numbers routed to 20 identities of 121 characters', async () => {
  // Sizes are under test here, not rates: 300 number items written in one call outrun Sync's 20 writes
  // a second per Map (the same call repeated would finish them; test/sandbox/twilio-limits.test.ts).
  sandbox().setLimits({ syncRateLimits: false });
  const env = sandboxEnv(sandbox(), serviceEnv());
  const tenant = await provisionTenant(sandbox(), env, { numbers: 300, authTokenInRegistry: true });
  const deps = adminDeps(loadConfig(env));

  const identities = (n: number) =>
    Array.from({ length: 20 }, (_, i) =>
      `${String(n).padStart(3, '0')}_${String(i).padStart(2, '0')}`.padEnd(121, 'x'),
    );
  await updateSubaccount(
    deps,
    updateParameters.parse({
      subaccountSid: tenant.sid,
      friendlyName: 'N'.repeat(64),
      allowedCountries: getCountries(),
      blockedNumberTypes: [...NUMBER_TYPES],
      inboundRouting: Object.fromEntries(tenant.numbers.map((number, n) => [number, identities(n)])),
    }),
  );
  // Every replaced key the registry keeps, each with its rotation receipt; one more is refused.
  for (let i = 0; i < MAX_RETIRING_KEYS; i++) await rotateKey(deps, tenant.sid, `rotation-${i}-0000`);
  await expect(rotateKey(deps, tenant.sid, 'rotation-one-too-many')).rejects.toMatchObject({
    code: 'too_many_retiring_keys',
  });

  const stored = await deps.registry.get(tenant.sid);
  expect(stored?.data.numbers).toHaveLength(300);
  expect(stored?.data.retiringApiKeys).toHaveLength(MAX_RETIRING_KEYS);
  expect(Object.values(stored?.data.inboundRouting ?? {}).every((routed) => routed.length === 20)).toBe(true);

  const sizes = sandbox().state.syncMapItems.map((item) => ({ key: item.key, bytes: bytesOf(item.data) }));
  const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const wholeRecord = bytesOf(stored?.data);
  console.log(
    `Registry item sizes: ${sizes.length} items, the largest ${largest.key} at ${largest.bytes} bytes ` +
      `(limit ${MAX_ITEM_BYTES}); the same record as one item would be ${wholeRecord} bytes`,
  );
  expect(sizes.filter((item) => item.bytes > MAX_ITEM_BYTES)).toEqual([]);
  expect(wholeRecord).toBeGreaterThan(MAX_ITEM_BYTES * 40);
});
