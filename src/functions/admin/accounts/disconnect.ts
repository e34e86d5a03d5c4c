import { disconnectAccount } from '../../../admin/accounts/disconnect';
import { adminDeps } from '../../../admin/deps';
import { subaccountView } from '../../../admin/subaccounts/subaccount-view';
import { adminRoute } from '../../../admin/routes/admin-route';

/** POST /admin/accounts/disconnect: our App and key out of a connected account, its numbers restored. */
export const handler = adminRoute('/admin/accounts/disconnect', async ({ config, parameters }) => {
  const { stored, numbersRestored, numbersLeft, ...rest } = await disconnectAccount(
    adminDeps(config),
    parameters,
  );
  const plain = ({ sid, phoneNumber }: { sid: string; phoneNumber: string }) => ({ sid, phoneNumber });
  return {
    status: 200,
    body: {
      account: subaccountView(stored),
      numbersRestored: numbersRestored.map(plain),
      numbersLeft: numbersLeft.map(plain),
      ...rest,
    },
  };
});
