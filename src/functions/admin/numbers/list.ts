import { adminDeps } from '../../../admin/deps';
import { listNumbers, listNumbersParameters } from '../../../admin/numbers/list';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/** POST /admin/numbers/list: numbers of the main account or of one subaccount, a page at a time. */
export const handler = adminFunction('admin/numbers/list', async ({ config, event }) => ({
  body: await listNumbers(adminDeps(config), parseParameters(listNumbersParameters, event)),
}));
