import { adminDeps } from '../../../admin/deps';
import { createParameters, createSubaccount } from '../../../admin/subaccounts/create';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/** POST /admin/subaccounts/create: a subaccount with key, TwiML App, optional number and Messaging Service. */
export const handler = adminFunction('admin/subaccounts/create', async ({ config, event }) => {
  const parameters = parseParameters(createParameters, event);
  const outcome = await createSubaccount(adminDeps(config), parameters);
  return {
    status: outcome.replayed ? 200 : 201,
    body: {
      subaccount: subaccountView(outcome.record),
      idempotencyKey: outcome.idempotencyKey,
      replayed: outcome.replayed,
    },
  };
});
