import type { AdminDeps } from '../deps';
import { twilioCall } from '../twilio-call';

/** What the second step reads of the number, as the move (or, on a retry, the gaining account) answered it. */
export interface MovedNumber {
  sid: string;
  phoneNumber: string;
  voiceApplicationSid: string | null;
  addressSid: string | null;
}

/**
 * The second step of moving a number (numbers/transfer, close keeping numbers), after the move with
 * `AccountSid` alone: in the gaining account, as its own request and only for what differs, a
 * subaccount's number rings its TwiML App (with its Address, when one was chosen); a number back in main
 * rings nothing. Whether a move drops the losing account's App link is not documented: when Twilio
 * answers the move with one still set, it is cleared explicitly (an empty VoiceApplicationSid clears it,
 * as Twilio treats an optional field sent empty).
 */
export async function settleArrivedNumber(
  deps: AdminDeps,
  accountSid: string,
  number: MovedNumber,
  appSid: string | null,
  addressSid: string | null,
): Promise<void> {
  const change = {
    ...((number.voiceApplicationSid || null) !== appSid ? { voiceApplicationSid: appSid ?? '' } : {}),
    ...(addressSid && number.addressSid !== addressSid ? { addressSid } : {}),
  };
  if (Object.keys(change).length === 0) return;
  await twilioCall(
    appSid
      ? `Pointing ${number.sid} at ${appSid}`
      : `Clearing the TwiML App of ${number.sid} in ${accountSid}`,
    deps.clients.actingOn(accountSid).incomingPhoneNumbers(number.sid).update(change),
  );
}
