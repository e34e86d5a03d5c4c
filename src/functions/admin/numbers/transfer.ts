import { adminDeps } from '../../../admin/deps';
import { transferNumber, transferParameters } from '../../../admin/numbers/transfer';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/** POST /admin/numbers/transfer: move a number between the main account and subaccounts. */
export const handler = adminFunction('admin/numbers/transfer', async ({ config, event }) => ({
  body: await transferNumber(adminDeps(config), parseParameters(transferParameters, event)),
}));
