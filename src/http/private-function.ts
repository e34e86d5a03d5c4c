import { notFound } from '../errors/service-error';
import type { FunctionHandler } from './json-function';
import { errorResponse } from './json-response';

/**
 * The handler of a private Function, a library the other functions require through
 * `Runtime.getFunctions()`. Twilio serves no private Function at a URL
 * (https://www.twilio.com/docs/serverless/functions-assets/visibility); `twilio-run start` does
 * (twilio-labs/serverless-toolkit#194), so it answers as if it were not there.
 */
export const privateFunctionHandler: FunctionHandler = async (_context, _event, callback) => {
  callback(null, errorResponse(notFound('not_found', 'There is no such function.')));
};
