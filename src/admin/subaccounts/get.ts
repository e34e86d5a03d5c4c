import { z } from 'zod';
import { isTwilioNotFound } from '../../twilio/rest-errors';
import type { LiveState } from '../answers';
import type { AdminDeps } from '../deps';
import { subaccountSid } from '../parameters';
import { twilioCall } from '../twilio-call';
import { markedIfDeleted } from './deleted';
import { registeredSubaccount } from './registered';
import { subaccountView } from './subaccount-view';

export const subaccountParameters = z.object({ subaccountSid });

/** The account's own fields, as a fetch or the main account's list of subaccounts gives them. */
export interface AccountFields {
  status: string;
  friendlyName: string;
  authToken: string;
}

/** GET /Accounts/{sid} with the main credentials (a connected account's own: twilio/clients.ts). */
export function fetchAccount(deps: AdminDeps, sid: string): Promise<AccountFields> {
  return twilioCall(`Fetching ${sid}`, deps.clients.actingOn(sid).api.v2010.accounts(sid).fetch());
}

/**
 * What Twilio says about a subaccount right now, next to what the registry says: its account (fetched
 * unless `account` is given, as a sweep has it from one list), its numbers, App and key, all at once.
 */
export async function liveState(
  deps: AdminDeps,
  sid: string,
  appSid: string | null,
  keySid: string | null,
  account: Promise<AccountFields> = fetchAccount(deps, sid),
): Promise<LiveState> {
  const twilio = deps.clients.actingOn(sid);
  const [fields, numbers, app, key] = await Promise.all([
    account,
    listNumbers(deps, sid),
    appSid ? orMissing(`Fetching TwiML App ${appSid}`, twilio.applications(appSid).fetch()) : undefined,
    keySid ? orMissing(`Fetching API key ${keySid}`, twilio.keys(keySid).fetch()) : undefined,
  ]);
  return liveStateOf(fields, numbers, app, key !== undefined);
}

/** A subaccount's numbers, TwiML Apps and API keys, each one page of Twilio's largest (1,000). */
export interface LiveLists {
  numbers: LiveNumberFields[];
  apps: { instances: AppFields[]; nextPageUrl?: string };
  keys: { instances: { sid: string }[]; nextPageUrl?: string };
}

/**
 * `LiveLists` in three requests at once, none of which needs the registry record: a sweep sends them
 * beside its read of the record (one round trip per subaccount, not two).
 */
export async function liveLists(deps: AdminDeps, sid: string): Promise<LiveLists> {
  const twilio = deps.clients.actingOn(sid);
  const [numbers, apps, keys] = await Promise.all([
    listNumbers(deps, sid),
    twilioCall(`Listing TwiML Apps of ${sid}`, twilio.applications.page({ pageSize: 1000 })),
    twilioCall(`Listing API keys of ${sid}`, twilio.keys.page({ pageSize: 1000 })),
  ]);
  return { numbers, apps, keys };
}

/**
 * `liveState` from `LiveLists`: the record's App and key are looked up in them (fetched by SID only
 * when a list has more than one page and it is not on the first).
 */
export async function liveStateFromLists(
  deps: AdminDeps,
  sid: string,
  lists: LiveLists,
  appSid: string | null,
  keySid: string | null,
  account: AccountFields,
): Promise<LiveState> {
  const twilio = deps.clients.actingOn(sid);
  const [app, keyExists] = await Promise.all([
    appSid
      ? (lists.apps.instances.find((candidate) => candidate.sid === appSid) ??
        (lists.apps.nextPageUrl
          ? orMissing(`Fetching TwiML App ${appSid}`, twilio.applications(appSid).fetch())
          : undefined))
      : undefined,
    keySid
      ? lists.keys.instances.some((candidate) => candidate.sid === keySid) ||
        (lists.keys.nextPageUrl
          ? orMissing(`Fetching API key ${keySid}`, twilio.keys(keySid).fetch()).then(Boolean)
          : false)
      : false,
  ]);
  return liveStateOf(account, lists.numbers, app, keyExists);
}

interface LiveNumberFields {
  sid: string;
  phoneNumber: string;
  voiceApplicationSid: string;
}

interface AppFields {
  sid: string;
  voiceUrl?: string | null;
  statusCallback?: string | null;
}

function listNumbers(deps: AdminDeps, sid: string): Promise<LiveNumberFields[]> {
  return twilioCall(
    `Listing numbers of ${sid}`,
    deps.clients.actingOn(sid).incomingPhoneNumbers.list({ pageSize: 1000 }),
  );
}

function liveStateOf(
  { status, friendlyName }: AccountFields,
  numbers: readonly LiveNumberFields[],
  app: AppFields | undefined,
  apiKeyExists: boolean,
): LiveState {
  return {
    status,
    friendlyName,
    numbers: numbers.map((n) => ({
      sid: n.sid,
      phoneNumber: n.phoneNumber,
      // Twilio answers "" for a number without an App.
      voiceApplicationSid: n.voiceApplicationSid || null,
    })),
    twimlApp: app
      ? { sid: app.sid, voiceUrl: app.voiceUrl ?? null, statusCallback: app.statusCallback || null }
      : null,
    apiKeyExists,
  };
}

/** A fetch whose 404 means "not there" rather than a failure. */
async function orMissing<T>(action: string, request: Promise<T>): Promise<T | undefined> {
  return twilioCall(
    action,
    request.catch((error: unknown) => {
      if (isTwilioNotFound(error)) return undefined;
      throw error;
    }),
  );
}

/** The registry item and the live Twilio state of one subaccount. */
export async function getSubaccount(deps: AdminDeps, sid: string) {
  const stored = await registeredSubaccount(deps, sid);
  // Twilio keeps nothing of a subaccount it deleted: the registry item alone answers, `live` null.
  if (stored.data.status === 'deleted') return { subaccount: subaccountView(stored), live: null };
  try {
    const live = await liveState(deps, sid, stored.data.twimlAppSid, stored.data.apiKey?.sid ?? null);
    return { subaccount: subaccountView(stored), live };
  } catch (error) {
    const deleted = await markedIfDeleted(deps, stored, error);
    if (!deleted) throw error;
    return { subaccount: subaccountView(deleted), live: null };
  }
}
