/**
 * What adopt reads of a subaccount on Twilio before it changes anything: the account (ours? active?),
 * its numbers with where their calls go, and an App of this service already there. Four requests, all
 * at once, beside the read of its registry item and operation record (operations/run-operation.ts
 * `alongside`), so they add no round trip.
 */
import { conflict, notFound } from '../../../errors/service-error';
import { fromTwilioError, isTwilioRestError } from '../../../twilio/rest-errors';
import type { AdminDeps } from '../../deps';
import { twilioCall } from '../../twilio-call';
import { voiceUrlOf } from '../../voice-app';
import { findVoiceApp, type FoundVoiceApp } from '../creation/parts';

/** A number of the subaccount as Twilio lists it. */
export interface LiveNumber {
  sid: string;
  phoneNumber: string;
  voiceApplicationSid: string | null;
  voiceUrl: string | null;
  voice: boolean;
}

export interface LiveSubaccount {
  friendlyName: string;
  authToken: string;
  numbers: LiveNumber[];
  /** An App of this service already on /voice: adopt reuses it rather than making a second one. */
  reusableApp?: FoundVoiceApp;
}

/** The subaccount as Twilio has it; refused (nothing read changes anything) when it is not one to adopt. */
export async function readLive(deps: AdminDeps, sid: string): Promise<LiveSubaccount> {
  const [account, numbers, foundApp] = await Promise.allSettled([
    subaccountOfMain(deps, sid),
    liveNumbers(deps, sid),
    findVoiceApp(deps, sid),
  ]);
  // The account's refusal first: the others fail too for a subaccount that is not ours.
  if (account.status === 'rejected') throw account.reason;
  if (numbers.status === 'rejected') throw numbers.reason;
  if (foundApp.status === 'rejected') throw foundApp.reason;
  const app = foundApp.value;
  return {
    ...account.value,
    numbers: numbers.value,
    ...(app && app.voiceUrl === voiceUrlOf(deps) ? { reusableApp: app } : {}),
  };
}

/**
 * The subaccount, if it is an active subaccount of the main account. Twilio shows the main credentials
 * their own subaccounts only: another account's SID is refused (401/403) or not found (404), and
 * `owner_account_sid` names the parent (https://www.twilio.com/docs/iam/api/account). Which of 401, 403
 * or 404 Twilio answers for another main account's subaccount is not documented there: all three are
 * taken to mean "not ours".
 */
async function subaccountOfMain(
  deps: AdminDeps,
  sid: string,
): Promise<{ friendlyName: string; authToken: string }> {
  const notOurs = () =>
    notFound('not_a_subaccount', `${sid} is not a subaccount of the main account ${deps.config.accountSid}.`);
  const account = await deps.clients
    .main()
    .api.v2010.accounts(sid)
    .fetch()
    .catch((error: unknown) => {
      if (isTwilioRestError(error) && [401, 403, 404].includes(error.status)) throw notOurs();
      throw fromTwilioError(error, `Fetching ${sid}`);
    });
  if (account.ownerAccountSid !== deps.config.accountSid) throw notOurs();
  if (account.status === 'closed')
    throw conflict('subaccount_closed', `${sid} is closed on Twilio: a closed subaccount cannot be adopted.`);
  if (account.status !== 'active')
    throw conflict(
      'subaccount_not_active',
      `${sid} is ${account.status} on Twilio: reactivate it there first, then adopt it.`,
    );
  return { friendlyName: account.friendlyName.slice(0, 64), authToken: account.authToken };
}

/** Every number of the subaccount (one page of 1,000, Twilio's largest), with where its calls go. */
async function liveNumbers(deps: AdminDeps, sid: string): Promise<LiveNumber[]> {
  const numbers = await twilioCall(
    `Listing numbers of ${sid}`,
    deps.clients.actingOn(sid).incomingPhoneNumbers.list({ pageSize: 1000 }),
  );
  return numbers.map((number) => ({
    sid: number.sid,
    phoneNumber: number.phoneNumber,
    // Twilio answers "" for an unset field.
    voiceApplicationSid: number.voiceApplicationSid || null,
    voiceUrl: number.voiceUrl || null,
    voice: number.capabilities?.voice !== false,
  }));
}
