import { adminDeps } from '../../../admin/deps';
import { checkAll, checkParameters, checkSubaccount } from '../../../admin/subaccounts/check';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/**
 * POST /admin/subaccounts/check: registry against Twilio, every drift listed; `repair: true` fixes them.
 * With `subaccountSid`, that subaccount; without, a page of all of them (`pageSize`, `cursor`).
 */
export const handler = adminFunction('admin/subaccounts/check', async ({ config, event }) => {
  const parameters = parseParameters(checkParameters, event);
  const deps = adminDeps(config);
  if (!parameters.subaccountSid) return { body: await checkAll(deps, parameters) };
  const { drift, stored } = await checkSubaccount(deps, parameters.subaccountSid, parameters.repair);
  return { body: { subaccount: subaccountView(stored), inStep: drift.length === 0, drift } };
});
