import type { ServiceConfig } from '../config/config';
import { emitEvent } from '../events/emit';
import type { SubaccountRegistry } from '../registry/subaccount-registry';
import type { StoredItem } from '../registry/sync-map-store';
import type { SubaccountRecord } from '../registry/types';

/** What marking needs: the registry, the clock, and the configuration events are sent with. */
export interface MarkingDeps {
  config: ServiceConfig;
  registry: SubaccountRegistry;
  now: () => Date;
}

/**
 * Records that Twilio refused the auth token held for a connected account (`code`, e.g. 20003): /token
 * and /voice refuse with a sentence from then on (within the hot paths' cache age on other instances),
 * until update-credentials clears it. Only the write that sets it sends `account.credentials_rejected`,
 * so the event goes once however many requests or checks find the token refused; a write that loses a
 * race finds it set and sends nothing. Answers the record as it now is.
 */
export async function markCredentialsRejected(
  deps: MarkingDeps,
  accountSid: string,
  code: number,
): Promise<StoredItem<SubaccountRecord>> {
  let marked = false;
  const stored = await deps.registry.update(accountSid, (record) => {
    marked = false;
    if (record.kind !== 'connected' || !record.connection || record.connection.credentialsRejected)
      return record;
    marked = true;
    const at = deps.now().toISOString();
    return {
      ...record,
      connection: { ...record.connection, credentialsRejected: { at, code } },
      updatedAt: at,
    };
  });
  if (marked) {
    await emitEvent(deps, 'account.credentials_rejected', accountSid, {
      friendlyName: stored.data.friendlyName,
      twilioCode: code,
    });
  }
  return stored;
}
