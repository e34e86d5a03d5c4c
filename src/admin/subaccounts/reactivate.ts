import type { AdminDeps } from '../deps';
import { registeredSubaccount } from './registered';
import { setStatus } from './status';

/** Makes a suspended subaccount active again (its numbers and key still in place). */
export async function reactivateSubaccount(deps: AdminDeps, sid: string) {
  return setStatus(deps, await registeredSubaccount(deps, sid), 'active');
}
