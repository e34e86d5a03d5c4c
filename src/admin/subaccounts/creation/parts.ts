/**
 * The parts of a subaccount, one function per step of `create`; adopt's steps (adoption/) run the same
 * API key, TwiML App and number ones. Each is safe to run again: on a resumed call (`plan.resumed`) it
 * first looks for what an earlier attempt may have made, and only makes what is missing.
 */
import { createHash } from 'node:crypto';
import { conflict } from '../../../errors/service-error';
import type { ApiKeyRef, RegisteredNumber } from '../../../registry/types';
import { isTwilioNotFound } from '../../../twilio/rest-errors';
import { createApiKey, deleteApiKey, isServiceKeyName } from '../../api-keys';
import type { AdminDeps } from '../../deps';
import {
  addNumberToMessagingService,
  createMessagingService,
  existingMessagingService,
  type SubaccountCredentials,
} from '../../messaging';
import { twilioCall } from '../../twilio-call';
import { alignVoiceApp, createVoiceApp, VOICE_APP_NAME } from '../../voice-app';
import type { CreatePlan } from './plan';

const PENDING_PREFIX = 'pending subaccount ';

/**
 * The friendly name a subaccount has until its SID is in its key's record: unique to the idempotency
 * key, so a retry after a lost answer finds the subaccount instead of making a second one.
 */
export const pendingName = (idempotencyKey: string): string =>
  `${PENDING_PREFIX}${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;

/** A name only a create that has not yet recorded its subaccount's SID gives. */
export const isPendingName = (friendlyName: string): boolean => friendlyName.startsWith(PENDING_PREFIX);

export async function ensureAccount(plan: CreatePlan): Promise<SubaccountCredentials> {
  const accounts = plan.deps.clients.main().api.v2010.accounts;
  const known = plan.accountSid;
  if (known) {
    const account = await twilioCall(`Fetching subaccount ${known}`, accounts(known).fetch());
    if (account.status === 'closed') {
      throw conflict('subaccount_closed', `The subaccount this create made (${known}) was closed meanwhile.`);
    }
    return { sid: account.sid, authToken: account.authToken };
  }
  const name = pendingName(plan.key);
  if (plan.resumed) {
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

/**
 * A new Standard API key for the subaccount. With `lookForOrphans` (a retry of a create; every adopt,
 * whose subaccount is not new), the keys an earlier attempt made and never recorded the secret of (so
 * they can sign nothing) are removed first: only keys named as createApiKey names them, never another
 * key of the subaccount. Shared by create and adopt.
 */
export async function ensureApiKey(
  deps: AdminDeps,
  sid: string,
  lookForOrphans: boolean,
): Promise<ApiKeyRef> {
  if (lookForOrphans) {
    const keys = await twilioCall(
      `Listing API keys of ${sid}`,
      deps.clients.actingOn(sid).keys.list({ pageSize: 1000 }),
    );
    const orphans = keys.filter((key) => isServiceKeyName(key.friendlyName));
    await Promise.all(orphans.map((key) => deleteApiKey(deps, sid, key.sid)));
  }
  return createApiKey(deps, sid);
}

/**
 * The subaccount's TwiML App: `found` (an App of this service already there) set as this service sets
 * Apps now, or else a new one. Shared by create (a retry finds its earlier App by name) and adopt (an
 * App of this service already on /voice).
 */
export async function ensureVoiceApp(deps: AdminDeps, sid: string, found: FoundVoiceApp | undefined) {
  return found ? alignVoiceApp(deps, sid, found) : createVoiceApp(deps, sid);
}

export interface FoundVoiceApp {
  sid: string;
  voiceUrl: string | null;
  statusCallback: string | null;
}

/** The subaccount's TwiML App named as this service names it, if it has one. */
export async function findVoiceApp(deps: AdminDeps, sid: string): Promise<FoundVoiceApp | undefined> {
  const [found] = await twilioCall(
    `Looking for the TwiML App of ${sid}`,
    deps.clients.actingOn(sid).applications.list({ friendlyName: VOICE_APP_NAME, limit: 1 }),
  );
  return found
    ? { sid: found.sid, voiceUrl: found.voiceUrl || null, statusCallback: found.statusCallback || null }
    : undefined;
}

/** The subaccount's Messaging Service, when asked for; null otherwise. */
export async function ensureMessagingService(
  plan: CreatePlan,
  account: SubaccountCredentials,
): Promise<string | null> {
  if (!plan.parameters.messagingService) return null;
  const found = plan.resumed ? await existingMessagingService(plan.deps, account) : undefined;
  return found ?? createMessagingService(plan.deps, account, plan.parameters.friendlyName);
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
  plan: CreatePlan,
  sid: string,
  appSid: string,
  addressSid: string | null,
): Promise<GivenNumber | null> {
  const { deps, number: request } = plan;
  if (!request) return null;
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
    return movedEarlier(deps, sid, request.phoneNumberSid);
  }
  if (plan.resumed) {
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

/** The number an earlier attempt moved into the subaccount already. */
async function movedEarlier(deps: AdminDeps, sid: string, numberSid: string): Promise<GivenNumber> {
  const number = await deps.clients
    .actingOn(sid)
    .incomingPhoneNumbers(numberSid)
    .fetch()
    .catch((error: unknown) => {
      if (isTwilioNotFound(error)) return undefined;
      throw error;
    });
  if (!number) {
    throw conflict('number_gone', `${numberSid} is neither in the main account nor in ${sid} any more.`, {
      parameter: 'phoneNumberSid',
    });
  }
  return given(number);
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

/** Puts the number into the subaccount's Messaging Service, when it has one. */
export async function joinMessagingService(
  deps: AdminDeps,
  account: SubaccountCredentials,
  serviceSid: string | null,
  number: GivenNumber | null,
): Promise<void> {
  if (serviceSid && number) await addNumberToMessagingService(deps, account, serviceSid, number.sid);
}
