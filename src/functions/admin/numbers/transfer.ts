import { adminDeps } from '../../../admin/deps';
import { transferNumber } from '../../../admin/numbers/transfer';
import { adminRoute } from '../../../http/admin-route';

/** POST /admin/numbers/transfer: move a number between the main account and subaccounts. */
export const handler = adminRoute('/admin/numbers/transfer', async ({ config, parameters }) => ({
  status: 200,
  body: await transferNumber(adminDeps(config), parameters),
}));
