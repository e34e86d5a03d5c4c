/**
 * What the toll-fraud guard uses of libphonenumber-js, with its full ("max") metadata: the metadata
 * that knows number types. The smaller sets the package offers cannot tell a premium-rate or
 * shared-cost number from another (`min` validates by length only, `mobile` knows mobile numbers only:
 * libphonenumber-js's README, "Metadata"), and the guard blocks by type.
 *
 * Its own module so that it is loaded when a number is first classified (destination-guard.ts), not
 * when a function loads: the build bundles the package's ES modules into each function
 * (scripts/build.ts), so loading it is evaluating code already in memory, not resolving and reading
 * a hundred files, and its metadata is parsed as JSON.
 */
export {
  AsYouType,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
export { default as metadata } from 'libphonenumber-js/max/metadata';
