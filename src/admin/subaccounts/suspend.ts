import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';
import { runBounded, timeBudget, type TimeBudget } from '../../twilio/time-budget';
import { twilioCall } from '../twilio-call';
import { registered, runOperation } from '../operations/run-operation';
import { setStatus } from './status';

/** Calls Twilio lets run on in a suspended account, and how each one is ended. */
const LIVE_CALLS = [
  { status: 'queued', endAs: 'canceled' },
  { status: 'ringing', endAs: 'canceled' },
  { status: 'in-progress', endAs: 'completed' },
] as const;

export interface SuspendOutcome {
  callsEnded: number;
  /** Live calls not ended within the time budget: call suspend again to end them. */
  callsRemaining: number;
  /** Numbers the subaccount still owns: a suspended account keeps paying for them. */
  numbersStillBilling: number;
}

/**
 * Suspends the subaccount on Twilio, then ends every call of it still queued, ringing or in progress:
 * Twilio does not end them on suspension. Suspension first, so no new call starts meanwhile. Repeating
 * the call is harmless and ends whatever the previous one had no time for. Under the subaccount's
 * operation record, so a reactivate cannot interleave and leave Twilio and the registry disagreeing.
 */
export async function suspendSubaccount(deps: AdminDeps, sid: string) {
  const budget = timeBudget();
  const operation = { operation: 'suspend', subjects: [sid], payload: { sid } };
  const { value } = await runOperation(deps, operation, ({ records: [stored] }) =>
    suspendUnderLease(deps, registered(stored), budget),
  );
  return value;
}

async function suspendUnderLease(deps: AdminDeps, leased: StoredItem<SubaccountRecord>, budget: TimeBudget) {
  const sid = leased.key;
  const stored = await setStatus(deps, leased, 'suspended');
  const twilio = deps.clients.actingOn(sid);
  const [numbers, ...liveByStatus] = await Promise.all([
    twilioCall(`Listing numbers of ${sid}`, twilio.incomingPhoneNumbers.list({ pageSize: 1000 })),
    ...LIVE_CALLS.map(({ status }) =>
      twilioCall(`Listing ${status} calls of ${sid}`, twilio.calls.list({ status, pageSize: 1000 })),
    ),
  ]);
  const calls = LIVE_CALLS.flatMap(({ endAs }, index) =>
    (liveByStatus[index] ?? []).map((call) => ({ sid: call.sid, endAs })),
  );
  const { results, notStarted } = await runBounded(
    calls,
    (call) => twilioCall(`Ending call ${call.sid}`, twilio.calls(call.sid).update({ status: call.endAs })),
    budget,
  );
  const outcome: SuspendOutcome = {
    callsEnded: results.length,
    callsRemaining: notStarted.length,
    numbersStillBilling: numbers.length,
  };
  return { stored, outcome };
}
