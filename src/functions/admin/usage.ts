import { adminDeps } from '../../admin/deps';
import { subaccountUsage, usageSummary } from '../../admin/usage/usage';
import { adminRoute } from '../../http/admin-route';

/** POST /admin/usage: one subaccount's usage by category, or a page of totals across subaccounts. */
export const handler = adminRoute('/admin/usage', async ({ config, parameters }) => {
  const deps = adminDeps(config);
  return {
    status: 200,
    body: parameters.subaccountSid
      ? await subaccountUsage(deps, parameters.subaccountSid, parameters.startDate, parameters.endDate)
      : await usageSummary(deps, parameters),
  };
});
