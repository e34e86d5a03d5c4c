/**
 * A private Function: libphonenumber-js's parsing and typing of numbers on the toll-fraud guard's
 * metadata, a library for the other functions (toll-fraud/phone-numbers-library.ts says why), required
 * through `Runtime.getFunctions()`.
 */
export * from '../../toll-fraud/phone-numbers';
export { privateFunctionHandler as handler } from '../../http/private-function';
