import { adminDeps } from '../../../admin/deps';
import { adoptSubaccount } from '../../../admin/subaccounts/adopt';
import { adoptPage } from '../../../admin/subaccounts/adopt-page';
import { adminRoute } from '../../../admin/routes/admin-route';

/**
 * POST /admin/subaccounts/adopt: an existing subaccount of the main account brought under the service
 * (`subaccountSid`), or a page of those not yet managed (`pageSize`, `cursor`); `dryRun` changes nothing.
 */
export const handler = adminRoute('/admin/subaccounts/adopt', async ({ config, parameters }) => {
  const deps = adminDeps(config);
  if (!parameters.subaccountSid) return { status: 200, body: await adoptPage(deps, parameters) };
  return { status: 200, body: await adoptSubaccount(deps, parameters.subaccountSid, parameters) };
});
