/** A refusal the sandbox answers with Twilio's error body. */
export class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function errorBody(error: TwilioError): TwilioErrorBody {
  return {
    code: error.code,
    message: error.message,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
  };
}

export const authenticationFailed = (): TwilioError => new TwilioError(401, 20003, 'Authenticate');

export const notFound = (path: string): TwilioError =>
  new TwilioError(404, 20404, `The requested resource ${path} was not found`);

export const forbidden = (message: string): TwilioError => new TwilioError(403, 20403, message);

export const invalidParameter = (message: string): TwilioError => new TwilioError(400, 20001, message);
