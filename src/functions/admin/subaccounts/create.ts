import { adminDeps } from '../../../admin/deps';
import { createSubaccount } from '../../../admin/subaccounts/create';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/subaccounts/create: a subaccount with key, TwiML App, optional number and Messaging Service. */
export const handler = adminRoute('/admin/subaccounts/create', async ({ config, parameters }) => {
  const { record, idempotencyKey, replayed } = await createSubaccount(adminDeps(config), parameters);
  const subaccount = subaccountView(record);
  return replayed
    ? { status: 200, body: { subaccount, idempotencyKey, replayed } }
    : { status: 201, body: { subaccount, idempotencyKey, replayed } };
});
