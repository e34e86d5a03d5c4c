/**
 * A private Function: libphonenumber-js's as-you-type reader on the guard's metadata, for the one
 * reader of the dialling prefixes of earlier releases (registry/dialling-prefix-migration.ts), required
 * through `Runtime.getFunctions()` (toll-fraud/phone-numbers-library.ts). Apart from phone-numbers, the
 * larger part of the package's code stays out of what a first classification loads.
 */
export { AsYouType } from '../../toll-fraud/as-you-type';
export { privateFunctionHandler as handler } from '../../http/private-function';
