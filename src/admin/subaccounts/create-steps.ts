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
import type { SubaccountCredentials } from '../messaging';
import { compliantAddress } from '../numbers/address';
import { twilioCall } from '../twilio-call';
import { createVoiceApp, VOICE_APP_NAME } from '../voice-app';
import type { ClaimedCreation } from './creation-journal';

/**
 * The friendly name a subaccount has until its SID is in the journal: unique to the idempotency key,
 * so a retry after a lost answer finds the subaccount instead of making a second one.
 */
export const pendingName = (idempotencyKey: string): string =>
  `pending subaccount ${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;

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
    const [found] = await twilioCall(
      `Looking for the TwiML App of ${sid}`,
      deps.clients.actingOn(sid).applications.list({ friendlyName: VOICE_APP_NAME, limit: 1 }),
    );
    if (found) return found.sid;
  }
  return createVoiceApp(deps, sid);
}

export async function ensureMessagingService(
  deps: AdminDeps,
  creation: ClaimedCreation,
  account: SubaccountCredentials,
  friendlyName: string,
): Promise<string> {
  if (creation.entry.messagingServiceSid) return creation.entry.messagingServiceSid;
  // Messaging acts on the account whose credentials are used: the subaccount's own.
  const services = deps.clients.asSubaccount(account.sid, account.authToken).messaging.v1.services;
  if (creation.resumed) {
    const [found] = await twilioCall(
      `Looking for the Messaging Service of ${account.sid}`,
      services.list({ limit: 1 }),
    );
    if (found) return found.sid;
  }
  const service = await twilioCall(
    `Creating the Messaging Service of ${account.sid}`,
    services.create({ friendlyName }),
  );
  return service.sid;
}

export type NumberRequest =
  | {
      kind: 'move';
      phoneNumberSid: string;
      /** Still in the main account when the call started. */ inMain: boolean;
    }
  | { kind: 'buy'; areaCode?: string; isoCountry: string; addressSid?: string };

/** Gives the subaccount its number, pointed at its TwiML App: moved from the main account or bought. */
export async function ensureNumber(
  deps: AdminDeps,
  creation: ClaimedCreation,
  sid: string,
  appSid: string,
  request: NumberRequest,
): Promise<RegisteredNumber> {
  const own = deps.clients.actingOn(sid).incomingPhoneNumbers;
  if (request.kind === 'move') {
    if (request.inMain) {
      // One request moves the number and points it at the gaining account's App.
      const moved = await twilioCall(
        `Moving ${request.phoneNumberSid} to ${sid}`,
        deps.clients
          .main()
          .incomingPhoneNumbers(request.phoneNumberSid)
          .update({ accountSid: sid, voiceApplicationSid: appSid }),
      );
      return { sid: moved.sid, phoneNumber: moved.phoneNumber };
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
    return pointAt(own, number, appSid);
  }

  if (creation.resumed) {
    // The subaccount is new: a number in it was bought by an earlier attempt.
    const [bought] = await twilioCall(`Listing numbers of ${sid}`, own.list({ limit: 1 }));
    if (bought) return pointAt(own, bought, appSid);
  }
  // Twilio no longer looks an address up for a purchase (21631): without an addressSid, only numbers
  // needing none are searched; with one, the number found must accept it.
  const [offer] = await twilioCall(
    `Searching a number in ${request.isoCountry}`,
    deps.clients
      .actingOn(sid)
      .availablePhoneNumbers(request.isoCountry)
      .local.list({
        ...(request.areaCode ? { areaCode: Number(request.areaCode) } : {}),
        ...(request.addressSid ? {} : { excludeAllAddressRequired: true }),
        voiceEnabled: true,
        limit: 1,
      }),
  );
  if (!offer)
    throw conflict(
      'no_number_available',
      `No number is on offer in ${request.isoCountry}${request.areaCode ? ` area code ${request.areaCode}` : ''}${request.addressSid ? '' : ' without an address requirement (give addressSid for others)'}.`,
    );
  const addressSid = await compliantAddress(
    deps,
    sid,
    { requirement: offer.addressRequirements, isoCountry: () => Promise.resolve(offer.isoCountry) },
    request.addressSid,
  );
  const bought = await twilioCall(
    `Buying a number for ${sid}`,
    own.create({
      phoneNumber: offer.phoneNumber,
      voiceApplicationSid: appSid,
      ...(addressSid ? { addressSid } : {}),
    }),
  );
  return { sid: bought.sid, phoneNumber: bought.phoneNumber };
}

type NumberList = ReturnType<AdminDeps['clients']['main']>['incomingPhoneNumbers'];

async function pointAt(
  own: NumberList,
  number: { sid: string; phoneNumber: string; voiceApplicationSid: string | null },
  appSid: string,
): Promise<RegisteredNumber> {
  if (number.voiceApplicationSid !== appSid) {
    await twilioCall(
      `Pointing ${number.sid} at ${appSid}`,
      own(number.sid).update({ voiceApplicationSid: appSid }),
    );
  }
  return { sid: number.sid, phoneNumber: number.phoneNumber };
}
