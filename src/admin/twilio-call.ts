import { fromTwilioError } from '../twilio/rest-errors';

/**
 * Awaits one Twilio request and turns its failure into a ServiceError that says which step failed
 * ("Moving PN... to the subaccount failed: Twilio answered 400 (21613) ..."), so an admin can act on it.
 */
export async function twilioCall<T>(action: string, request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    throw fromTwilioError(error, action);
  }
}
