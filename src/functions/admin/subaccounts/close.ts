import { refuseConnectedAccounts } from '../../../admin/accounts/connected-account';
import { adminDeps } from '../../../admin/deps';
import { closeSubaccount } from '../../../admin/subaccounts/close';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/subaccounts/close: numbers back to the main account (by default), then close for good. */
export const handler = adminRoute('/admin/subaccounts/close', async ({ config, parameters }) => {
  const deps = adminDeps(config);
  await refuseConnectedAccounts(deps, [parameters.subaccountSid], 'closing it');
  const outcome = await closeSubaccount(deps, parameters);
  const { subaccountSid } = parameters;
  // 202: numbers still to move and nothing closed yet; the same call continues.
  return outcome.closed
    ? { status: 200, body: { subaccountSid, ...outcome } }
    : { status: 202, body: { subaccountSid, ...outcome } };
});
