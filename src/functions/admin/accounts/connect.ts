import { connectAccount } from '../../../admin/accounts/connect';
import { adminDeps } from '../../../admin/deps';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/accounts/connect: a customer's own Twilio account, served with its own credentials. */
export const handler = adminRoute('/admin/accounts/connect', async ({ config, parameters }) => {
  const outcome = await connectAccount(adminDeps(config), parameters);
  if (outcome.dryRun) return { status: 200, body: outcome };
  const body = {
    account: subaccountView(outcome.stored),
    idempotencyKey: outcome.idempotencyKey,
    replayed: outcome.replayed,
  };
  return outcome.replayed ? { status: 200, body } : { status: 201, body };
});
