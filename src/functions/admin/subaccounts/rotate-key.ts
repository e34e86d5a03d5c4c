import { adminDeps } from '../../../admin/deps';
import { rotateKey } from '../../../admin/subaccounts/rotate-key';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminRoute } from '../../../admin/routes/admin-route';

/**
 * POST /admin/subaccounts/rotate-key: a new API key now, once per `idempotencyKey`; the old one retires
 * once the tokens signed with it have expired.
 */
export const handler = adminRoute('/admin/subaccounts/rotate-key', async ({ config, parameters }) => {
  const { stored, ...rotation } = await rotateKey(
    adminDeps(config),
    parameters.subaccountSid,
    parameters.idempotencyKey,
  );
  return { status: 200, body: { subaccount: subaccountView(stored), ...rotation } };
});
