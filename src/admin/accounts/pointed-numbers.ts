import type { PointedNumber } from '../../registry/types';
import { isTwilioNotFound } from '../../twilio/rest-errors';
import { invalidParameter } from '../../errors/service-error';
import type { AdminDeps } from '../deps';
import { twilioCall } from '../twilio-call';

/**
 * The numbers of a connected account that connect is asked to point at our App, read with the
 * account's own credentials (`actingOn`), each with the voice setting it has now: what disconnect
 * puts back. A SID the account does not own is refused before anything changes.
 */
export async function numbersToPoint(
  deps: AdminDeps,
  accountSid: string,
  phoneNumberSids: readonly string[],
): Promise<PointedNumber[]> {
  const twilio = deps.clients.actingOn(accountSid);
  return Promise.all(
    [...new Set(phoneNumberSids)].map(async (sid) => {
      const number = await twilio
        .incomingPhoneNumbers(sid)
        .fetch()
        .catch((error: unknown) => {
          if (isTwilioNotFound(error))
            throw invalidParameter('phoneNumberSids', `${sid} is not a number of ${accountSid}`);
          throw error;
        });
      return {
        sid: number.sid,
        phoneNumber: number.phoneNumber,
        voiceUrl: number.voiceUrl || null,
        voiceMethod: number.voiceMethod || null,
        voiceApplicationSid: number.voiceApplicationSid || null,
      };
    }),
  );
}

/** Points a number at the App (its Voice URL is then not used, so it is left as it was). */
export async function pointNumber(deps: AdminDeps, accountSid: string, numberSid: string, appSid: string) {
  await twilioCall(
    `Pointing ${numberSid} of ${accountSid} at TwiML App ${appSid}`,
    deps.clients.actingOn(accountSid).incomingPhoneNumbers(numberSid).update({ voiceApplicationSid: appSid }),
  );
}

/**
 * Puts back the voice setting a number had before connect, if it still runs on our App `appSid`: a
 * number its owner has re-pointed since, or released, is theirs and left alone. Answers whether it
 * was restored.
 */
export async function restoreNumber(
  deps: AdminDeps,
  accountSid: string,
  number: PointedNumber,
  appSid: string | null,
): Promise<boolean> {
  const twilio = deps.clients.actingOn(accountSid);
  const now = await twilio
    .incomingPhoneNumbers(number.sid)
    .fetch()
    .catch((error: unknown) => {
      if (isTwilioNotFound(error)) return undefined;
      throw error;
    });
  if (!now || now.voiceApplicationSid !== appSid) return false;
  await twilioCall(
    `Restoring the voice setting of ${number.sid} of ${accountSid}`,
    twilio.incomingPhoneNumbers(number.sid).update({
      // An empty value clears a field, as Twilio's Console does.
      voiceApplicationSid: number.voiceApplicationSid ?? '',
      voiceUrl: number.voiceUrl ?? '',
      ...(number.voiceMethod ? { voiceMethod: number.voiceMethod } : {}),
    }),
  );
  return true;
}
