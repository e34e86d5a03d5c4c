import { adminDeps } from '../../../admin/deps';
import { subaccountParameters } from '../../../admin/subaccounts/get';
import { rotateKey } from '../../../admin/subaccounts/rotate-key';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

/** POST /admin/subaccounts/rotate-key: a new API key now; the old one retires once its tokens expired. */
export const handler = adminFunction('admin/subaccounts/rotate-key', async ({ config, event }) => {
  const { subaccountSid } = parseParameters(subaccountParameters, event);
  const { stored, ...rotation } = await rotateKey(adminDeps(config), subaccountSid);
  return { body: { subaccount: subaccountView(stored), ...rotation } };
});
