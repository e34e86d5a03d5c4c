/**
 * The steps of `create`. Each one is safe to run again: on a resumed call (`creation.resumed`) it first
 * looks for what an earlier attempt may have done (the subaccount, which is new and ours alone, can be
 * searched freely), and only creates what is missing.
 */
import { createHash } from 'node:crypto';
import { conflict } from '../../errors/service-error';
import type { ApiKeyRef, RegisteredNumber } from '../../registry/types';
import { isTwilioNotFound } from '../../twilio/rest-errors';
import { createApiKey, deleteApiKey } from '../api-keys';
import type { AdminDeps } from '../deps';
import { createMessagingService, existingMessagingService, type SubaccountCredentials } from '../messaging';
import { twilioCall } from '../twilio-call';
import { createVoiceApp, VOICE_APP_NAME } from '../voice-app';
import type { ClaimedCreation } from './creation-journal';
import type { NumberRequest } from './number-plan';

const PENDING_PREFIX = 'pending subaccount ';

/**
 * The friendly name a subaccount has until its SID is in the journal: unique to the idempotency key,
 * so a retry after a lost answer finds the subaccount instead of making a second one.
 */
export const pendingName = (idempotencyKey: string): string =>
  `${PENDING_PREFIX}${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;

/** A name only a create that has not yet journalled its subaccount's SID gives. */
export const isPendingName = (friendlyName: string): boolean => friendlyName.startsWith(PENDING_PREFIX);

export async function ensureAccount(
  deps: AdminDeps,
  creation: ClaimedCreation,
): Promise<SubaccountCredentials> {
  const accounts = deps.clients.main().api.v2010.accounts;
  const known = creation.entry.accountSid;
  if (known) {
    const account = await twilioCall(`Fetching subaccount ${known}`, accounts(known).fetch());
    if (account.status === 'closed') {
      throw conflict('subaccount_closed', `The subaccount this create made (${known}) was closed meanwhile.`);
    }
    return { sid: account.sid, authToken: account.authToken };
  }
  const name = pendingName(creation.key);
  if (creation.resumed) {
    const found = await twilioCall(
      'Looking for the subaccount of an earlier attempt',
      accounts.list({ friendlyName: name, limit: 20 }),
    );
    const account = found.find((candidate) => candidate.status !== 'closed');
    if (account) return { sid: account.sid, authToken: account.authToken };
  }
  const account = await twilioCall('Creating the subaccount', accounts.create({ friendlyName: name }));
  return { sid: account.sid, authToken: account.authToken };
}

export async function renameAccount(deps: AdminDeps, sid: string, friendlyName: string): Promise<void> {
  await twilioCall(
    `Naming subaccount ${sid}`,
    deps.clients.main().api.v2010.accounts(sid).update({ friendlyName }),
  );
}

export async function ensureApiKey(
  deps: AdminDeps,
  creation: ClaimedCreation,
  sid: string,
): Promise<ApiKeyRef> {
  if (creation.entry.apiKey) return creation.entry.apiKey;
  if (creation.resumed) {
    // A key made by an earlier attempt whose secret was not recorded cannot sign anything: remove it.
    const orphans = await twilioCall(
      `Listing API keys of ${sid}`,
      deps.clients.actingOn(sid).keys.list({ limit: 50 }),
    );
    await Promise.all(orphans.map((key) => deleteApiKey(deps, sid, key.sid)));
  }
  return createApiKey(deps, sid);
}

export async function ensureVoiceApp(
  deps: AdminDeps,
  creation: ClaimedCreation,
  sid: string,
): Promise<string> {
  if (creation.entry.twimlAppSid) return creation.entry.twimlAppSid;
  if (creation.resumed) {
    const found = await findVoiceApp(deps, sid);
    if (found) return found.sid;
  }
  return createVoiceApp(deps, sid);
}

/** The subaccount's TwiML App named as this service names it, if it has one. */
export async function findVoiceApp(
  deps: AdminDeps,
  sid: string,
): Promise<{ sid: string; voiceUrl: string | null; statusCallback: string | null } | undefined> {
  const [found] = await twilioCall(
    `Looking for the TwiML App of ${sid}`,
    deps.clients.actingOn(sid).applications.list({ friendlyName: VOICE_APP_NAME, limit: 1 }),
  );
  return found
    ? { sid: found.sid, voiceUrl: found.voiceUrl || null, statusCallback: found.statusCallback || null }
    : undefined;
}

export async function ensureMessagingService(
  deps: AdminDeps,
  creation: ClaimedCreation,
  account: SubaccountCredentials,
  friendlyName: string,
): Promise<string> {
  if (creation.entry.messagingServiceSid) return creation.entry.messagingServiceSid;
  const found = creation.resumed ? await existingMessagingService(deps, account) : undefined;
  return found ?? createMessagingService(deps, account, friendlyName);
}

/** A number the subaccount now owns, and the App its calls go to as Twilio answered. */
export interface GivenNumber extends RegisteredNumber {
  voiceApplicationSid: string | null;
}

/**
 * Gives the subaccount its number: moved from the main account, or bought (pointed at `appSid` in the
 * purchase), with `addressSid` (an Address of the subaccount: address-copy.ts) when it needs one. A
 * moved number is pointed at the App by `pointNumberAt`, a request of its own: whether
 * Twilio checks an App named in the move request against the losing or the gaining account is not
 * documented (https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource), so the move
 * sends `AccountSid` (and `AddressSid`) alone.
 */
export async function ensureNumber(
  deps: AdminDeps,
  creation: ClaimedCreation,
  sid: string,
  appSid: string,
  request: NumberRequest,
  addressSid: string | undefined,
): Promise<GivenNumber> {
  const own = deps.clients.actingOn(sid).incomingPhoneNumbers;
  if (request.kind === 'move') {
    if (request.inMain) {
      const moved = await twilioCall(
        `Moving ${request.phoneNumberSid} to ${sid}`,
        deps.clients
          .main()
          .incomingPhoneNumbers(request.phoneNumberSid)
          .update({ accountSid: sid, ...(addressSid ? { addressSid } : {}) }),
      );
      return given(moved);
    }
    // An earlier attempt moved it already.
    const number = await own(request.phoneNumberSid)
      .fetch()
      .catch((error: unknown) => {
        if (isTwilioNotFound(error)) return undefined;
        throw error;
      });
    if (!number) {
      throw conflict(
        'number_gone',
        `${request.phoneNumberSid} is neither in the main account nor in ${sid} any more.`,
        {
          parameter: 'phoneNumberSid',
        },
      );
    }
    return given(number);
  }

  if (creation.resumed) {
    // The subaccount is new: a number in it was bought by an earlier attempt (or moved in by a transfer).
    const [bought] = await twilioCall(`Listing numbers of ${sid}`, own.list({ limit: 1 }));
    if (bought) return given(bought);
  }
  if (request.kind === 'unavailable') throw request.refusal;
  const bought = await twilioCall(
    `Buying ${request.phoneNumber} for ${sid}`,
    own.create({
      phoneNumber: request.phoneNumber,
      voiceApplicationSid: appSid,
      ...(addressSid ? { addressSid } : {}),
    }),
  );
  return given(bought);
}

const given = (number: GivenNumber): GivenNumber => ({
  sid: number.sid,
  phoneNumber: number.phoneNumber,
  // Twilio answers "" for an unset field.
  voiceApplicationSid: number.voiceApplicationSid || null,
});

/** Points the subaccount's number at its App, unless Twilio said it already is. */
export async function pointNumberAt(
  deps: AdminDeps,
  sid: string,
  number: GivenNumber,
  appSid: string,
): Promise<void> {
  if (number.voiceApplicationSid === appSid) return;
  await twilioCall(
    `Pointing ${number.sid} at ${appSid}`,
    deps.clients.actingOn(sid).incomingPhoneNumbers(number.sid).update({ voiceApplicationSid: appSid }),
  );
}
