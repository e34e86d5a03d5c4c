/**
 * A lifecycle change whose registry write fails between the directory summary and the `account` item
 * (the commit point) leaves the summary ahead of the item. Its operation record must stay unfinished,
 * so reads that hold the item to its summary (a page of records, `check`) take it for a write its retry
 * finishes, not for a restored copy, and the retry does finish it.
 */
import { adminDeps } from '../../../src/admin/deps';
import { createParameters, createSubaccount } from '../../../src/admin/subaccounts/create';
import { suspendSubaccount } from '../../../src/admin/subaccounts/suspend';
import { loadConfig } from '../../../src/config/config';
import { tenantMapName } from '../../../src/registry/layout';
import { useSandbox } from '../../helpers/sandbox';
import { serviceEnv } from '../../../testkit/service-env';

const sandbox = useSandbox();

it('a suspend cut short before its account item is read as unfinished, and its retry finishes it', async () => {
  const main = sandbox().seed();
  const env = serviceEnv({
    ACCOUNT_SID: main.accountSid,
    AUTH_TOKEN: main.authToken,
    TWILIO_API_BASE_URL: sandbox().baseUrl,
  });
  const deps = adminDeps(loadConfig(env));
  const { record } = await createSubaccount(
    deps,
    createParameters.parse({ friendlyName: 'Acme', idempotencyKey: 'acme-cut-short' }),
  );
  const sid = record.key;

  // The `account` item's write fails; the summary beside the numbers was written (status suspended).
  const accountItem = new RegExp(`/Maps/${tenantMapName(sid)}/Items/account$`);
  sandbox().failRequest(1, '500', { match: { method: 'POST', path: accountItem } });
  await expect(suspendSubaccount(deps, sid)).rejects.toThrow();
  sandbox().clearFaults();

  // A page of records checks each `account` item against its summary: not refused as a restored copy.
  const page = await deps.registry.itemsAfter(undefined, 100);
  expect(page.items.find((item) => item.key === sid)?.data.status).toBe('active');

  await suspendSubaccount(deps, sid);
  const after = await deps.registry.itemsAfter(undefined, 100);
  expect(after.items.find((item) => item.key === sid)?.data.status).toBe('suspended');
});
