import { adminDeps } from '../../../admin/deps';
import { closeParameters, closeSubaccount } from '../../../admin/subaccounts/close';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/** POST /admin/subaccounts/close: numbers back to the main account (by default), then close for good. */
export const handler = adminFunction('admin/subaccounts/close', async ({ config, event }) => {
  const parameters = parseParameters(closeParameters, event);
  const outcome = await closeSubaccount(adminDeps(config), parameters);
  // 202: numbers still to move and nothing closed yet; the same call continues.
  return {
    status: outcome.closed ? 200 : 202,
    body: { subaccountSid: parameters.subaccountSid, ...outcome },
  };
});
