import type { AdminDeps } from '../deps';
import { registered, runOperation } from '../operations/run-operation';
import { setStatus } from './status';

/** Makes a suspended subaccount active again (its numbers and key still in place), under its record. */
export async function reactivateSubaccount(deps: AdminDeps, sid: string) {
  const operation = { operation: 'reactivate', subjects: [sid], payload: { sid } };
  const { value } = await runOperation(deps, operation, ({ records: [stored] }) =>
    setStatus(deps, registered(stored), 'active'),
  );
  return value;
}
