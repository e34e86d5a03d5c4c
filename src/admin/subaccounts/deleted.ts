import { ServiceError } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import { isTwilioNotFound } from '../../twilio/rest-errors';
import type { AdminDeps } from '../deps';
import { twilioCall } from '../twilio-call';

/**
 * Twilio deletes a closed subaccount 30 days after closure (the default for accounts made since 2018,
 * https://www.twilio.com/docs/iam/api/subaccounts); from then on every request about it answers 404.
 * After a 404 on a request about subaccount `stored`, this asks Twilio for the account itself: when it
 * is gone, the registry item is marked `deleted` (with nothing left that Twilio could still hold) and
 * returned, so a page of subaccounts carries on past it. Any other failure is the caller's to report.
 */
export async function markedIfDeleted(
  deps: AdminDeps,
  stored: Pick<StoredItem<unknown>, 'key'>,
  failure: unknown,
): Promise<StoredItem<SubaccountRecord> | undefined> {
  if (!isTwilioNotFound(failure) && !(failure instanceof ServiceError && failure.code === 'twilio_not_found'))
    return undefined;
  const sid = stored.key;
  const gone = await twilioCall(
    `Fetching ${sid}`,
    deps.clients
      .main()
      .api.v2010.accounts(sid)
      .fetch()
      .then(() => false)
      .catch((error: unknown) => {
        if (isTwilioNotFound(error)) return true;
        throw error;
      }),
  );
  if (!gone) return undefined;
  return markDeleted(deps, sid);
}

export function markDeleted(deps: AdminDeps, sid: string): Promise<StoredItem<SubaccountRecord>> {
  const now = deps.now().toISOString();
  return deps.registry.update(sid, (record) => ({
    ...record,
    status: 'deleted',
    deletedAt: record.deletedAt ?? now,
    apiKey: null,
    retiringApiKeys: [],
    numbers: [],
    callerId: null,
    inboundRouting: {},
    updatedAt: now,
  }));
}

/** What an operation on one subaccount answers once Twilio has deleted it. */
export function subaccountDeleted(record: SubaccountRecord): ServiceError {
  return new ServiceError(
    410,
    'subaccount_deleted',
    `${record.sid} was deleted by Twilio${record.deletedAt ? ` (found at ${record.deletedAt})` : ''}, 30 days after it was closed; nothing is left to act on.`,
    { subaccountSid: record.sid, deletedAt: record.deletedAt ?? null },
  );
}
