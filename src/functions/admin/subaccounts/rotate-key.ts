import { adminDeps } from '../../../admin/deps';
import { idempotencyKey } from '../../../admin/parameters';
import { subaccountParameters } from '../../../admin/subaccounts/get';
import { rotateKey } from '../../../admin/subaccounts/rotate-key';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminFunction } from '../../../http/json-function';
import { parseParameters } from '../../../http/request-input';

const rotateKeyParameters = subaccountParameters.extend({ idempotencyKey: idempotencyKey.optional() });

/**
 * POST /admin/subaccounts/rotate-key: a new API key now, once per `idempotencyKey`; the old one retires
 * once the tokens signed with it have expired.
 */
export const handler = adminFunction('admin/subaccounts/rotate-key', async ({ config, event }) => {
  const parameters = parseParameters(rotateKeyParameters, event);
  const { stored, ...rotation } = await rotateKey(
    adminDeps(config),
    parameters.subaccountSid,
    parameters.idempotencyKey,
  );
  return { body: { subaccount: subaccountView(stored), ...rotation } };
});
