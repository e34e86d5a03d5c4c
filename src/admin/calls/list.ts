import { z } from 'zod';
import type { CallInstance } from 'twilio/lib/rest/api/v2010/account/call';
import { decodeCursor, encodeCursor } from '../../twilio/page-cursor';
import type { AdminDeps } from '../deps';
import { accountSid, cursor, isoDate, pageSize } from '../parameters';
import { dayEnd, dayStart } from '../recordings/recording-view';
import { registeredSubaccount } from '../subaccounts/registered';
import { twilioCall } from '../twilio-call';

/** The Call resource's statuses (https://www.twilio.com/docs/voice/api/call-resource#call-status-values). */
export const CALL_STATUSES = [
  'queued',
  'ringing',
  'in-progress',
  'canceled',
  'completed',
  'failed',
  'busy',
  'no-answer',
] as const;

/** Twilio's directions: a browser's call reaches Twilio as `inbound`; each leg Twilio dials is `outbound-dial`. */
export const CALL_DIRECTIONS = ['inbound', 'outbound-api', 'outbound-dial'] as const;

export const listCallsParameters = z.object({
  subaccountSid: accountSid,
  /** Started on or after this day (UTC). */
  startDate: isoDate.optional(),
  /** Started on or before this day (UTC). */
  endDate: isoDate.optional(),
  status: z.enum(CALL_STATUSES).optional(),
  direction: z.enum(CALL_DIRECTIONS).optional(),
  pageSize: pageSize.default(50),
  cursor: cursor.optional(),
});

export type ListCallsParameters = z.output<typeof listCallsParameters>;

/** Twilio's largest page: one Recordings request covers the recordings of a whole page of calls. */
const RECORDINGS_PAGE = 1000;

/**
 * One page of a subaccount's calls, newest first, each with the SIDs of its recordings. Requests: the
 * registry read, one Calls page (Twilio's filters: Status, StartTime on or after / on or before;
 * https://www.twilio.com/docs/voice/api/call-resource#read-multiple-call-resources), and one Recordings
 * page over the time the page's calls span (up to 1,000 recordings), never one request per call.
 * Twilio has no filter by direction, so `direction` is applied to the page Twilio answered (a page may
 * hold fewer than `pageSize` while `nextCursor` says more may follow); pass the same filters with
 * `cursor`. When the calls' time span holds more than 1,000 recordings, `recordingSidsComplete` is
 * false and the SIDs of some calls may be missing (ask recordings/list with `callSid`).
 */
export async function listCalls(deps: AdminDeps, parameters: ListCallsParameters) {
  const sid = parameters.subaccountSid;
  await registeredSubaccount(deps, sid);
  const twilio = deps.clients.actingOn(sid);
  const page = await twilioCall(
    `Listing calls of ${sid}`,
    twilio.calls.page({
      pageSize: parameters.pageSize,
      ...(parameters.status ? { status: parameters.status } : {}),
      ...(parameters.startDate ? { startTimeAfter: dayStart(parameters.startDate) } : {}),
      ...(parameters.endDate ? { startTimeBefore: dayEnd(parameters.endDate) } : {}),
      ...decodeCursor(parameters.cursor),
    }),
  );
  const calls = page.instances.filter(
    (call) => !parameters.direction || call.direction === parameters.direction,
  );
  const recordings = await recordingsOf(deps, sid, calls);
  const nextCursor = encodeCursor(page.nextPageUrl);
  return {
    subaccountSid: sid,
    calls: calls.map((call) => ({
      sid: call.sid,
      parentCallSid: call.parentCallSid || null,
      from: call.from,
      to: call.to,
      identity: identityOf(call),
      direction: call.direction,
      startTime: call.startTime?.toISOString() ?? null,
      durationSeconds: call.duration ? Number(call.duration) : null,
      status: call.status,
      // Twilio fills the price in some time after the call ends.
      price: call.price || null,
      priceUnit: call.priceUnit || null,
      recordingSids: recordings.byCall.get(call.sid) ?? [],
    })),
    recordingSidsComplete: recordings.complete,
    ...(nextCursor ? { nextCursor } : {}),
  };
}

/** The browser identity on either end of the call (`client:alice` → `alice`), if there is one. */
function identityOf(call: CallInstance): string | null {
  const client = [call.from, call.to].find((party) => party?.startsWith('client:'));
  return client ? client.slice('client:'.length) : null;
}

async function recordingsOf(deps: AdminDeps, sid: string, calls: CallInstance[]) {
  const byCall = new Map<string, string[]>();
  const starts = calls.map((call) => (call.startTime ?? call.dateCreated).getTime());
  if (starts.length === 0) return { byCall, complete: true };
  // A call still going on may yet be recorded: its span runs to now. Twilio makes a recording's
  // resource as the recording ends; a minute of slack covers its processing.
  const ends = calls.map((call) => (call.endTime ?? deps.now()).getTime());
  const page = await twilioCall(
    `Listing recordings of ${sid}`,
    deps.clients.actingOn(sid).recordings.page({
      pageSize: RECORDINGS_PAGE,
      dateCreatedAfter: new Date(Math.min(...starts)),
      dateCreatedBefore: new Date(Math.max(...ends) + 60_000),
    }),
  );
  for (const recording of page.instances) {
    byCall.set(recording.callSid, [...(byCall.get(recording.callSid) ?? []), recording.sid]);
  }
  return { byCall, complete: !page.nextPageUrl };
}
