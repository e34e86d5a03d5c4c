import { refuseConnectedAccounts } from '../../../admin/accounts/connected-account';
import { adminDeps } from '../../../admin/deps';
import { transferNumber } from '../../../admin/numbers/transfer';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/numbers/transfer: move a number between the main account and subaccounts. */
export const handler = adminRoute('/admin/numbers/transfer', async ({ config, parameters }) => {
  const deps = adminDeps(config);
  const ends = [parameters.fromAccountSid, parameters.toAccountSid];
  await refuseConnectedAccounts(deps, ends, 'moving numbers in or out of it');
  return { status: 200, body: await transferNumber(deps, parameters) };
});
