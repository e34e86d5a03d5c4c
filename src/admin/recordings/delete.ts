import { isTwilioNotFound } from '../../twilio/rest-errors';
import type { AdminDeps } from '../deps';
import { recordingOwner } from './recording-owner';
import { twilioCall } from '../twilio-call';
import type { RecordingParameters } from './get';

/**
 * Deletes a recording of a subaccount we manage on Twilio, media and all. Idempotent: a recording
 * Twilio no longer has (deleted before, or never there) answers `deleted: false` rather than an error,
 * so a retry after a lost answer succeeds. Two requests: the registry read and the DELETE.
 */
export async function deleteRecording(deps: AdminDeps, parameters: RecordingParameters) {
  const { subaccountSid, recordingSid } = parameters;
  await recordingOwner(deps, subaccountSid);
  const deleted = await removeRecording(deps, subaccountSid, recordingSid);
  return { subaccountSid, recordingSid, deleted, gone: true as const };
}

/** One DELETE; false when Twilio no longer had the recording. */
export async function removeRecording(deps: AdminDeps, subaccountSid: string, recordingSid: string) {
  return twilioCall(
    `Deleting recording ${recordingSid} of ${subaccountSid}`,
    deps.clients
      .actingOn(subaccountSid)
      .recordings(recordingSid)
      .remove()
      .catch((error: unknown) => {
        if (isTwilioNotFound(error)) return false;
        throw error;
      }),
  );
}
