import { adminDeps } from '../../admin/deps';
import { subaccountUsage, usageParameters, usageSummary } from '../../admin/usage/usage';
import { adminFunction } from '../../http/json-function';
import { parseParameters } from '../../http/request-input';

/** POST /admin/usage: one subaccount's usage by category, or a page of totals across subaccounts. */
export const handler = adminFunction('admin/usage', async ({ config, event }) => {
  const parameters = parseParameters(usageParameters, event);
  const deps = adminDeps(config);
  return {
    body: parameters.subaccountSid
      ? await subaccountUsage(deps, parameters.subaccountSid, parameters.startDate, parameters.endDate)
      : await usageSummary(deps, parameters),
  };
});
