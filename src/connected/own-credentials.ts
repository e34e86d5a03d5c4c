import { ServiceError } from '../errors/service-error';
import type { TwilioClients } from '../twilio/clients';
import { fromTwilioError, isTwilioRestError } from '../twilio/rest-errors';

/** What Twilio says of an account's own SID and auth token, from one request. */
export type CredentialVerdict =
  | {
      accepted: true;
      account: { sid: string; ownerAccountSid: string; friendlyName: string; status: string };
    }
  | { accepted: false; twilioCode: number; twilioStatus: number };

/**
 * Asks Twilio, with one GET /2010-04-01/Accounts/{sid}.json made with the account's own SID and auth
 * token, whether they are accepted: 401 (error 20003, https://www.twilio.com/docs/api/errors/20003) for
 * a wrong or rotated token, 20005 for an account that is not active. Any other failure (Twilio slow,
 * throttled, down) says nothing about the credentials and is thrown as a ServiceError.
 * `owner_account_sid` is the account's parent, or itself for a master account
 * (https://www.twilio.com/docs/iam/api/account#account-properties).
 */
export async function verifyOwnCredentials(
  clients: TwilioClients,
  accountSid: string,
  authToken: string,
): Promise<CredentialVerdict> {
  try {
    const account = await clients.asSubaccount(accountSid, authToken).api.v2010.accounts(accountSid).fetch();
    return {
      accepted: true,
      account: {
        sid: account.sid,
        ownerAccountSid: account.ownerAccountSid,
        friendlyName: account.friendlyName,
        status: account.status,
      },
    };
  } catch (error) {
    if (isTwilioRestError(error) && (error.status === 401 || error.status === 403)) {
      return { accepted: false, twilioCode: error.code ?? error.status, twilioStatus: error.status };
    }
    throw fromTwilioError(error, `Checking the credentials of ${accountSid} with Twilio`);
  }
}

/** The sentence every refusal for rejected credentials carries: what happened and what to do. */
export function credentialsRejectedSentence(accountSid: string): string {
  return `Twilio no longer accepts the auth token this service holds for ${accountSid} (it was changed in that account); an admin must update the credentials (update-credentials) before calls work again.`;
}

/** /token's and the admin operations' refusal for a connected account whose token Twilio refuses. */
export function credentialsRejected(accountSid: string, twilioCode?: number): ServiceError {
  return new ServiceError(
    403,
    'credentials_rejected',
    credentialsRejectedSentence(accountSid),
    twilioCode === undefined ? { accountSid } : { accountSid, twilioCode },
  );
}
