import { isTwilioNotFound, isTwilioRestError } from '../twilio/rest-errors';
import type { AdminDeps } from './deps';
import { twilioCall } from './twilio-call';

/**
 * A subaccount's own credentials. Messaging acts on the account whose credentials are used, so a
 * subaccount's Messaging Service is reached with its SID and auth token (fetched with main credentials),
 * never with the main account's. The token is used for the call at hand, never stored or answered.
 */
export interface SubaccountCredentials {
  sid: string;
  authToken: string;
}

export async function subaccountCredentials(deps: AdminDeps, sid: string): Promise<SubaccountCredentials> {
  const account = await twilioCall(`Fetching ${sid}`, deps.clients.main().api.v2010.accounts(sid).fetch());
  return { sid, authToken: account.authToken };
}

function messagingServices(deps: AdminDeps, account: SubaccountCredentials) {
  // Messaging acts on the account whose credentials are used: the subaccount's own.
  return deps.clients.asSubaccount(account.sid, account.authToken).messaging.v1.services;
}

/** The subaccount's Messaging Service, if it has one (the service gives each subaccount at most one). */
export async function existingMessagingService(
  deps: AdminDeps,
  account: SubaccountCredentials,
): Promise<string | undefined> {
  const [found] = await twilioCall(
    `Looking for the Messaging Service of ${account.sid}`,
    messagingServices(deps, account).list({ limit: 1 }),
  );
  return found?.sid;
}

export async function createMessagingService(
  deps: AdminDeps,
  account: SubaccountCredentials,
  friendlyName: string,
): Promise<string> {
  const service = await twilioCall(
    `Creating the Messaging Service of ${account.sid}`,
    messagingServices(deps, account).create({ friendlyName }),
  );
  return service.sid;
}

/** Deletes a Messaging Service of the subaccount; one already gone counts as deleted. */
export async function deleteMessagingService(
  deps: AdminDeps,
  account: SubaccountCredentials,
  serviceSid: string,
): Promise<void> {
  await twilioCall(
    `Deleting Messaging Service ${serviceSid}`,
    messagingServices(
      deps,
      account,
    )(serviceSid)
      .remove()
      .catch((error: unknown) => {
        if (isTwilioNotFound(error)) return true;
        throw error;
      }),
  );
}

/** Twilio's code for a number that already belongs to a Messaging Service. */
const ALREADY_IN_SERVICE = 21710;

export async function addNumberToMessagingService(
  deps: AdminDeps,
  account: SubaccountCredentials,
  serviceSid: string,
  numberSid: string,
): Promise<void> {
  const numbers = deps.clients
    .asSubaccount(account.sid, account.authToken)
    .messaging.v1.services(serviceSid).phoneNumbers;
  await twilioCall(
    `Adding ${numberSid} to Messaging Service ${serviceSid}`,
    numbers.create({ phoneNumberSid: numberSid }).catch((error: unknown) => {
      if (isTwilioRestError(error) && error.code === ALREADY_IN_SERVICE) return undefined;
      throw error;
    }),
  );
}

/** Takes a number out of a Messaging Service; one that is not in it counts as taken out. */
export async function removeNumberFromMessagingService(
  deps: AdminDeps,
  account: SubaccountCredentials,
  serviceSid: string,
  numberSid: string,
): Promise<void> {
  await twilioCall(
    `Removing ${numberSid} from Messaging Service ${serviceSid}`,
    deps.clients
      .asSubaccount(account.sid, account.authToken)
      .messaging.v1.services(serviceSid)
      .phoneNumbers(numberSid)
      .remove()
      .catch((error: unknown) => {
        if (isTwilioNotFound(error)) return true;
        throw error;
      }),
  );
}
