import { errorResponse } from '../../http/json-response';
import { ServiceError } from '../../errors/service-error';
import type { FunctionHandler } from '../../http/json-function';

/**
 * A private Function: libphonenumber-js's as-you-type reader on the guard's metadata, for the one
 * reader of the dialling prefixes of earlier releases (registry/dialling-prefix-migration.ts), required
 * through `Runtime.getFunctions()` (toll-fraud/phone-numbers-library.ts). Apart from phone-numbers, the
 * larger part of the package's code stays out of what a first classification loads. Twilio serves no
 * private Function at a URL; `twilio-run start` does, so its handler answers as if it were not there.
 */
export { AsYouType } from '../../toll-fraud/as-you-type';

export const handler: FunctionHandler = async (_context, _event, callback) => {
  callback(null, errorResponse(new ServiceError(404, 'not_found', 'There is no such function.')));
};
