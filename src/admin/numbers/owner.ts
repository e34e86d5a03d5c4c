import { invalidParameter } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';

/** An account numbers may live in: the main account, or a subaccount in the registry. */
export interface NumberOwner {
  sid: string;
  /** The registry item; absent for the main account. */
  stored?: StoredItem<SubaccountRecord>;
}

/** Resolves an account SID named by a caller; anything but main or ours is refused as that parameter. */
export async function numberOwner(deps: AdminDeps, sid: string, parameter: string): Promise<NumberOwner> {
  if (sid === deps.config.accountSid) return { sid };
  const stored = await deps.registry.get(sid);
  if (!stored)
    throw invalidParameter(parameter, `${sid} is neither the main account nor a subaccount of this service`);
  return { sid, stored };
}
