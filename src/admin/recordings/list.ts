import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../twilio/page-cursor';
import { sidPattern, sidRule } from '../../vocabulary';
import type { AdminDeps } from '../deps';
import { accountSid, cursor, isoDate, pageSize } from '../parameters';
import { recordingOwner } from './recording-owner';
import { twilioCall } from '../twilio-call';
import { dayEnd, dayStart, recordingView } from './recording-view';

export const listRecordingsParameters = z.object({
  subaccountSid: accountSid,
  /** Only this call's recordings. */
  callSid: z
    .string()
    .regex(sidPattern('CA'), `must be ${sidRule('CA')}`)
    .optional(),
  /** Made on or after this day (UTC). */
  startDate: isoDate.optional(),
  /** Made on or before this day (UTC). */
  endDate: isoDate.optional(),
  /** `call`: recorded calls; `voicemail`: voicemail messages; absent: both. */
  kind: z.enum(['call', 'voicemail']).optional(),
  pageSize: pageSize.default(50),
  cursor: cursor.optional(),
});

export type ListRecordingsParameters = z.output<typeof listRecordingsParameters>;

/**
 * One page of a subaccount's recordings, newest first: one registry read and one Recordings page
 * (Twilio's own filters: CallSid, DateCreated on or after / on or before;
 * https://www.twilio.com/docs/voice/api/recording#read-multiple-recording-resources). Twilio has no
 * filter by source, so `kind` is applied to the page Twilio answered: a page may hold fewer than
 * `pageSize` (even none) while `nextCursor` says more may follow. Pass the same filters with `cursor`.
 */
export async function listRecordings(deps: AdminDeps, parameters: ListRecordingsParameters) {
  const sid = parameters.subaccountSid;
  await recordingOwner(deps, sid);
  const page = await twilioCall(
    `Listing recordings of ${sid}`,
    deps.clients.actingOn(sid).recordings.page({
      pageSize: parameters.pageSize,
      ...(parameters.callSid ? { callSid: parameters.callSid } : {}),
      ...(parameters.startDate ? { dateCreatedAfter: dayStart(parameters.startDate) } : {}),
      ...(parameters.endDate ? { dateCreatedBefore: dayEnd(parameters.endDate) } : {}),
      ...decodeCursor(parameters.cursor),
    }),
  );
  const nextCursor = encodeCursor(page.nextPageUrl);
  return {
    subaccountSid: sid,
    recordings: page.instances
      .map(recordingView)
      .filter((recording) => !parameters.kind || recording.kind === parameters.kind),
    ...(nextCursor ? { nextCursor } : {}),
  };
}
