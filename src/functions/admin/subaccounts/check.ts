import { adminDeps } from '../../../admin/deps';
import { checkAll, checkSubaccount } from '../../../admin/check/check';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminRoute } from '../../../admin/routes/admin-route';

/**
 * POST /admin/subaccounts/check: registry against Twilio, every drift listed; `repair: true` fixes them.
 * With `subaccountSid`, that subaccount; without, a page of all of them (`pageSize`, `cursor`).
 */
export const handler = adminRoute('/admin/subaccounts/check', async ({ config, parameters }) => {
  const deps = adminDeps(config);
  if (!parameters.subaccountSid) return { status: 200, body: await checkAll(deps, parameters) };
  const { drift, stored, findings } = await checkSubaccount(deps, parameters.subaccountSid, parameters);
  const inStep = drift.length === 0 && findings.every((finding) => finding.repaired);
  const registryItems = findings.length > 0 ? { registryItems: findings } : {};
  return { status: 200, body: { subaccount: subaccountView(stored), inStep, drift, ...registryItems } };
});
