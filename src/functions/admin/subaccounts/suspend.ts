import { refuseConnectedAccounts } from '../../../admin/accounts/connected-account';
import { adminDeps } from '../../../admin/deps';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { suspendSubaccount } from '../../../admin/subaccounts/suspend';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/subaccounts/suspend: suspend on Twilio and end the subaccount's live calls. */
export const handler = adminRoute('/admin/subaccounts/suspend', async ({ config, parameters }) => {
  const deps = adminDeps(config);
  await refuseConnectedAccounts(deps, [parameters.subaccountSid], 'suspending it');
  const { stored, outcome } = await suspendSubaccount(deps, parameters.subaccountSid);
  return {
    // 202: suspended, but some calls are still live; the same call ends them.
    status: outcome.callsRemaining > 0 ? 202 : 200,
    body: { subaccount: subaccountView(stored), ...outcome },
  };
});
