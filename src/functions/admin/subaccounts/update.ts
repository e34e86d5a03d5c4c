import { adminDeps } from '../../../admin/deps';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { updateParameters, updateSubaccount } from '../../../admin/subaccounts/update';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/** POST /admin/subaccounts/update: name, caller ID, inbound routing, recording, dialling prefixes. */
export const handler = adminFunction('admin/subaccounts/update', async ({ config, event }) => {
  const stored = await updateSubaccount(adminDeps(config), parseParameters(updateParameters, event));
  return { body: { subaccount: subaccountView(stored) } };
});
