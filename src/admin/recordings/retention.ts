import type { SubaccountRecord } from '../../registry/types';
import type { Drift } from '../answers';
import type { AdminDeps } from '../deps';
import { runBounded, timeBudget, type TimeBudget } from '../../twilio/time-budget';
import { twilioCall } from '../twilio-call';
import { removeRecording } from './delete';

/**
 * Recordings past retention looked at per check: one Recordings page (Twilio's pages go to 1,000; this
 * many deletions fit the 10 s of a Function with TWILIO_CONCURRENCY in flight while each DELETE is a
 * round trip of well under a second, and the work budget stops starting new ones). A sweep with more left reports it; the next check goes on,
 * since what was deleted is no longer listed.
 */
const RETENTION_PAGE = 100;

const DAY_MS = 86_400_000;

/**
 * Deletions start only within this much of a check, so a sweep of several subaccounts (each checked
 * with its own deletions) stays inside the 10 s of its Function.
 */
const RETENTION_BUDGET_MS = 3000;

/**
 * Recordings of a subaccount older than its `recordingRetentionDays`, as one drift item; with
 * `repair`, deleted (oldest are no better than newest here: any past the limit goes). Without a
 * retention, nothing is read. One Recordings page, plus one DELETE per recording deleted.
 */
export async function retentionDrift(
  deps: AdminDeps,
  record: SubaccountRecord,
  repair: boolean,
  budget: TimeBudget = timeBudget(RETENTION_BUDGET_MS),
): Promise<Drift[]> {
  const days = record.recordingRetentionDays;
  if (!days || record.status === 'closed' || record.status === 'deleted') return [];
  const cutoff = new Date(deps.now().getTime() - days * DAY_MS);
  const page = await twilioCall(
    `Listing recordings of ${record.sid} older than ${days} days`,
    deps.clients
      .actingOn(record.sid)
      .recordings.page({ pageSize: RETENTION_PAGE, dateCreatedBefore: cutoff }),
  );
  // Twilio filters by date; the exact instant is checked here too.
  const due = page.instances.filter((recording) => recording.dateCreated.getTime() < cutoff.getTime());
  if (due.length === 0) return [];
  const sids = due.map((recording) => recording.sid);
  if (!repair) {
    return [
      {
        code: 'recordings_past_retention',
        message: `${page.nextPageUrl ? 'At least ' : ''}${due.length} recording(s) are older than ${days} days: ${sids.join(', ')}.`,
      },
    ];
  }
  const { results, notStarted } = await runBounded(
    sids,
    async (recordingSid) => {
      await removeRecording(deps, record.sid, recordingSid);
      return recordingSid;
    },
    budget,
  );
  const left = notStarted.length > 0 || page.nextPageUrl;
  return [
    {
      code: 'recordings_past_retention',
      message: `Deleted ${results.length} recording(s) older than ${days} days: ${results.join(', ')}.${left ? ' More are left: check again.' : ''}`,
      repaired: !left,
    },
  ];
}
