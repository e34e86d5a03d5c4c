import { adminDeps } from '../../../admin/deps';
import { subaccountParameters } from '../../../admin/subaccounts/get';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { suspendSubaccount } from '../../../admin/subaccounts/suspend';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/** POST /admin/subaccounts/suspend: suspend on Twilio and end the subaccount's live calls. */
export const handler = adminFunction('admin/subaccounts/suspend', async ({ config, event }) => {
  const { subaccountSid } = parseParameters(subaccountParameters, event);
  const { stored, outcome } = await suspendSubaccount(adminDeps(config), subaccountSid);
  return {
    // 202: suspended, but some calls are still live; the same call ends them.
    status: outcome.callsRemaining > 0 ? 202 : 200,
    body: { subaccount: subaccountView(stored), ...outcome },
  };
});
