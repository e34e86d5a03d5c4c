import { isTwilioNotFound } from '../../twilio/rest-errors';
import type { AdminDeps } from '../deps';
import { twilioCall } from '../twilio-call';

/** Deletes a tenant's TwiML App; one already gone counts as deleted. */
export async function deleteVoiceApp(deps: AdminDeps, accountSid: string, appSid: string): Promise<void> {
  await twilioCall(
    `Deleting TwiML App ${appSid} of ${accountSid}`,
    deps.clients
      .actingOn(accountSid)
      .applications(appSid)
      .remove()
      .catch((error: unknown) => {
        if (isTwilioNotFound(error)) return true;
        throw error;
      }),
  );
}
