import { z } from 'zod';
import { conflict } from '../../errors/service-error';
import { sidPattern, sidRule } from '../../vocabulary';
import type { AdminDeps } from '../deps';
import { accountSid } from '../parameters';
import { recordingOwner } from './recording-owner';
import { twilioCall } from '../twilio-call';
import { MEDIA_FORMATS } from './media';
import { signMediaLink } from './media-link';
import { recordingView } from './recording-view';

export const recordingSid = z.string().regex(sidPattern('RE'), `must be ${sidRule('RE')}`);

export const recordingParameters = z.object({ subaccountSid: accountSid, recordingSid });

export const getRecordingParameters = recordingParameters.extend({
  /** The link's audio format: `wav` (the default) or `mp3`. */
  format: z.enum(['wav', 'mp3'], { message: 'must be wav or mp3' }).default('wav'),
});

export type RecordingParameters = z.output<typeof recordingParameters>;

/**
 * A recording's facts and a link that plays it: Twilio's media URL needs the account's credentials
 * (HTTP auth on media is enforced on every account made since July 2023:
 * https://support.twilio.com/hc/en-us/articles/15827821586843), which an admin must never handle, so
 * the link goes to our /recording-media, which fetches the audio with them (media-link.ts, media.ts).
 * Two requests: the registry read and the Recording fetch (404 `twilio_not_found` when it is gone).
 */
export async function getRecording(deps: AdminDeps, parameters: z.output<typeof getRecordingParameters>) {
  const { subaccountSid, recordingSid: sid, format } = parameters;
  const { data: record } = await recordingOwner(deps, subaccountSid);
  // A closed subaccount's recordings are no longer handed out (its links would be refused anyway).
  if (record.status === 'closed' || record.status === 'deleted') {
    throw conflict('subaccount_closed', `${subaccountSid} is ${record.status}: no links to its recordings.`);
  }
  const recording = await twilioCall(
    `Fetching recording ${sid} of ${subaccountSid}`,
    deps.clients.actingOn(subaccountSid).recordings(sid).fetch(),
  );
  return {
    subaccountSid,
    recording: recordingView(recording),
    media: {
      ...signMediaLink(deps.config, subaccountSid, sid, deps.now(), format),
      contentType: MEDIA_FORMATS[format],
    },
  };
}
