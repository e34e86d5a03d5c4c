import { z } from 'zod';
import { sidPattern, sidRule } from '../../vocabulary';
import type { AdminDeps } from '../deps';
import { accountSid } from '../parameters';
import { registeredSubaccount } from '../subaccounts/registered';
import { twilioCall } from '../twilio-call';
import { signMediaLink } from './media-link';
import { recordingView } from './recording-view';

export const recordingSid = z.string().regex(sidPattern('RE'), `must be ${sidRule('RE')}`);

export const recordingParameters = z.object({ subaccountSid: accountSid, recordingSid });

export type RecordingParameters = z.output<typeof recordingParameters>;

/**
 * A recording's facts and a link that plays it: Twilio's media URL needs the account's credentials
 * (HTTP auth on media is enforced on every account made since July 2023:
 * https://support.twilio.com/hc/en-us/articles/15827821586843), which an admin must never handle, so
 * the link goes to our /recording-media, which fetches the audio with them (media-link.ts, media.ts).
 * Two requests: the registry read and the Recording fetch (404 `twilio_not_found` when it is gone).
 */
export async function getRecording(deps: AdminDeps, parameters: RecordingParameters) {
  const { subaccountSid, recordingSid: sid } = parameters;
  await registeredSubaccount(deps, subaccountSid);
  const recording = await twilioCall(
    `Fetching recording ${sid} of ${subaccountSid}`,
    deps.clients.actingOn(subaccountSid).recordings(sid).fetch(),
  );
  return {
    subaccountSid,
    recording: recordingView(recording),
    media: { ...signMediaLink(deps.config, subaccountSid, sid, deps.now()), contentType: 'audio/x-wav' },
  };
}
