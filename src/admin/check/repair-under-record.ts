import { isServiceError } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { Drift } from '../answers';
import type { AdminDeps } from '../deps';
import { registered, runOperation } from '../operations/run-operation';

/** What a check found of one account: its drift, and its registry item as the check last saw it. */
export interface Checked {
  drift: Drift[];
  stored: StoredItem<SubaccountRecord>;
}

/**
 * How a repair meets an account whose operation record another change holds: a check of that one
 * account is refused (409 `subaccount_busy`, with when to retry); a sweep reports the drift it found,
 * unrepaired, and goes on with the next account (the next sweep repairs it).
 */
export type WhenBusy = 'refuse' | 'report';

export interface RepairScope {
  whenBusy: WhenBusy;
  /** The record is already held by this repair (a check again under it): repair at once. */
  held?: boolean;
}

/**
 * A repair makes and deletes API keys, makes TwiML Apps and points numbers, as rotate-key, a transfer
 * or a close do: so it runs under the account's operation record like them (operations/run-operation.ts),
 * and two of them never make two keys or point a number two ways at once. The drift was found before
 * the record was taken; when the registry item changed in between (another change finished meanwhile),
 * the account is checked again under the record (`recheck`) rather than repaired from what is stale.
 * Round trips: the record's read and take, and its completion, beside the repair's own requests.
 */
export async function repairUnderRecord(
  deps: AdminDeps,
  found: Checked,
  scope: RepairScope,
  repair: (stored: StoredItem<SubaccountRecord>) => Promise<StoredItem<SubaccountRecord>>,
  recheck: (current: StoredItem<SubaccountRecord>) => Promise<Checked>,
): Promise<Checked> {
  const repaired = async (stored: StoredItem<SubaccountRecord>): Promise<Checked> => ({
    drift: found.drift.map((item) => ({ ...item, repaired: true })),
    stored: await repair(stored),
  });
  if (scope.held) return repaired(found.stored);
  const sid = found.stored.key;
  const request = { operation: 'repair', subjects: [sid], payload: { sid } };
  try {
    const { value } = await runOperation(deps, request, async ({ records: [read] }) => {
      const current = registered(read);
      return current.revision === found.stored.revision ? repaired(current) : recheck(current);
    });
    return value;
  } catch (error) {
    if (scope.whenBusy === 'report' && isServiceError(error) && error.code === 'subaccount_busy')
      return found;
    throw error;
  }
}
