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

/**
 * Puts a number into a Messaging Service. A number belongs to one service at a time: in another one,
 * Twilio answers 21712 (https://www.twilio.com/docs/api/errors/21712), a real refusal passed on. Twilio's
 * answer for a number already in this same service is not documented (21710 is assumed), so any
 * refusal is checked against the service itself: the number found there counts as added.
 */
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
    numbers.create({ phoneNumberSid: numberSid }).catch(async (error: unknown) => {
      if (!isTwilioRestError(error) || error.status >= 500 || error.status === 429) throw error;
      const member = await numbers(numberSid)
        .fetch()
        .catch((lookup: unknown) => {
          if (isTwilioNotFound(lookup)) return undefined;
          throw lookup;
        });
      if (!member) throw error;
      return member;
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
