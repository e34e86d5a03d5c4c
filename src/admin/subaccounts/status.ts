import { conflict } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';
import { emitSubaccountEvent } from '../../events/subaccount-events';
import { twilioCall } from '../twilio-call';
import { stillProvisioning } from '../provisioning';
import { subaccountDeleted } from './deleted';

/** Sets the status on Twilio, then in the registry (so the registry never claims what Twilio has not done). */
export async function setStatus(
  deps: AdminDeps,
  stored: StoredItem<SubaccountRecord>,
  status: 'active' | 'suspended',
): Promise<StoredItem<SubaccountRecord>> {
  const from = stored.data.status;
  if (from === 'deleted') throw subaccountDeleted(stored.data);
  if (from === 'closed') throw conflict('subaccount_closed', `${stored.key} is closed for good.`);
  if (from === 'provisioning') throw stillProvisioning(stored.data);
  if (from !== 'active' && from !== 'suspended') {
    throw conflict(
      `subaccount_${from}`,
      `${stored.key} is ${from}; only an active or suspended one can change.`,
    );
  }
  await twilioCall(
    `Setting ${stored.key} ${status}`,
    deps.clients.main().api.v2010.accounts(stored.key).update({ status }),
  );
  const updated = await deps.registry.update(stored.key, (record) => ({
    ...record,
    status,
    updatedAt: deps.now().toISOString(),
  }));
  if (stored.data.status !== status)
    await emitSubaccountEvent(
      deps,
      status === 'active' ? 'subaccount.reactivated' : 'subaccount.suspended',
      updated.data,
    );
  return updated;
}
