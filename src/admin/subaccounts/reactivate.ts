import type { AdminDeps } from '../deps';
import { withSubaccountLease } from '../subaccount-lease';
import { setStatus } from './status';

/** Makes a suspended subaccount active again (its numbers and key still in place), under its lease. */
export async function reactivateSubaccount(deps: AdminDeps, sid: string) {
  return withSubaccountLease(deps, sid, 'reactivate', (stored) => setStatus(deps, stored, 'active'));
}
