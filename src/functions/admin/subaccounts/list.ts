import { adminDeps } from '../../../admin/deps';
import { listParameters, listSubaccounts } from '../../../admin/subaccounts/list';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/** POST /admin/subaccounts/list: registry items by status and name, a page at a time. */
export const handler = adminFunction('admin/subaccounts/list', async ({ config, event }) => ({
  body: await listSubaccounts(adminDeps(config), parseParameters(listParameters, event)),
}));
