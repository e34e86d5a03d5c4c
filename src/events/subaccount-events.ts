import type { SubaccountRecord } from '../registry/types';
import { emitEvent, type EventDeps } from './emit';
import type { EventType } from './event';

/** At most this many numbers are listed in an event (`numberCount` has them all), keeping it small. */
const MAX_LISTED_NUMBERS = 20;

/**
 * Emits a subaccount lifecycle event whose `data` is the subaccount as it is now: name, status and
 * numbers. Called once the registry holds the change (create, adopt, suspend, reactivate).
 */
export function emitSubaccountEvent(
  deps: EventDeps,
  type: Extract<EventType, `subaccount.${string}`>,
  record: SubaccountRecord,
): Promise<void> {
  return emitEvent(deps, type, record.sid, {
    friendlyName: record.friendlyName,
    status: record.status,
    phoneNumbers: record.numbers.slice(0, MAX_LISTED_NUMBERS).map((number) => number.phoneNumber),
    numberCount: record.numbers.length,
  });
}
