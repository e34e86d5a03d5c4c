import { errorResponse } from '../../http/json-response';
import { ServiceError } from '../../errors/service-error';
import type { FunctionHandler } from '../../http/json-function';

/**
 * A private Function: libphonenumber-js's parsing and typing of numbers on the toll-fraud guard's
 * metadata, a library for the other functions (toll-fraud/phone-numbers-library.ts says why), required
 * through `Runtime.getFunctions()`.
 * Twilio serves no private Function at a URL (https://www.twilio.com/docs/serverless/functions-assets/visibility);
 * `twilio-run start` does, so its handler answers as if it were not there.
 */
export * from '../../toll-fraud/phone-numbers';

export const handler: FunctionHandler = async (_context, _event, callback) => {
  callback(null, errorResponse(new ServiceError(404, 'not_found', 'There is no such function.')));
};
