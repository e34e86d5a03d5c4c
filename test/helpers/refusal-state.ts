/**
 * What "a refused request changed nothing" is checked on, for the admin functions: the sandbox's whole
 * state (the registry included) as JSON, less what a refusal may move while leaving everything a user
 * sees as it was:
 * - each Sync Map's revision counter and `dateUpdated`: a create refused after it took its idempotency
 *   key's operation record withdraws it, which leaves no item but counts two writes on the Map;
 * - the revision, `dateUpdated` and seal of a subaccount's operation record: a lifecycle change refused
 *   while it held the record puts it back as it found it (its data, still compared here), which moves
 *   its revision and, as every write does, its seal's version (src/registry/item-seal.ts).
 */
import type { Sandbox } from '../../sandbox';
import { SEAL_FIELD } from '../../src/registry/item-seal';
import { OPERATION_ITEM } from '../../src/registry/layout';

export function refusalState(sandbox: Sandbox): string {
  const { state } = sandbox;
  return JSON.stringify({
    ...state,
    syncMaps: state.syncMaps.map(({ revision: _revision, dateUpdated: _dateUpdated, ...map }) => map),
    syncMapItems: state.syncMapItems.map((item) => {
      if (item.key !== OPERATION_ITEM) return item;
      const { revision: _revision, dateUpdated: _dateUpdated, data, ...kept } = item;
      const { [SEAL_FIELD]: _seal, ...record } = data as Record<string, unknown>;
      return { ...kept, data: record };
    }),
  });
}
