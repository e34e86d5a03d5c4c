/**
 * What the toll-fraud guard uses of libphonenumber-js, with its full ("max") metadata: the metadata
 * that knows number types. The smaller sets the package offers cannot tell a premium-rate or
 * shared-cost number from another (`min` validates by length only, `mobile` knows mobile numbers only:
 * libphonenumber-js's README, "Metadata"), and the guard blocks by type.
 *
 * Its own module so that it is loaded when a number is first classified (destination-guard.ts), not
 * when a function loads: the build bundles the package's ES modules into each function
 * (scripts/build.ts), so loading it is evaluating code already in memory, not resolving and reading
 * a hundred files.
 *
 * The metadata is parsed one calling code at a time (metadata-split.ts): classifying a +1 number
 * parses the North American plan's countries and nothing else, once per instance.
 */
import {
  getCountryCallingCode as coreGetCountryCallingCode,
  parsePhoneNumberFromString as coreParse,
  type CountryCallingCode,
  type CountryCode,
  type MetadataJson,
  type PhoneNumber,
} from 'libphonenumber-js/core';
import byCallingCode from './metadata-by-calling-code';
import type { CallingCodeMetadata } from './metadata-split';

const parsedCodes = new Map<string, CallingCodeMetadata>();

function share(code: string): CallingCodeMetadata {
  let parsed = parsedCodes.get(code);
  if (!parsed) {
    parsed = JSON.parse(byCallingCode.texts[code] as string) as CallingCodeMetadata;
    parsedCodes.set(code, parsed);
  }
  return parsed;
}

/** The full metadata as libphonenumber-js reads it, each entry parsed with its code on first read. */
function lazyMetadata(): MetadataJson {
  const countries: Record<string, unknown> = {};
  const nonGeographic: Record<string, unknown> = {};
  for (const [code, listed] of Object.entries(byCallingCode.country_calling_codes)) {
    for (const country of listed) {
      Object.defineProperty(countries, country, {
        enumerable: true,
        get: () => share(code).countries[country],
      });
    }
  }
  for (const code of byCallingCode.nonGeographicCodes) {
    Object.defineProperty(nonGeographic, code, {
      enumerable: true,
      get: () => share(code).nonGeographic?.[code],
    });
  }
  return {
    version: byCallingCode.version,
    country_calling_codes: byCallingCode.country_calling_codes,
    countries,
    nonGeographic,
  } as unknown as MetadataJson;
}

export const metadata = lazyMetadata();

export function parsePhoneNumberFromString(text: string): PhoneNumber | undefined {
  return coreParse(text, metadata);
}

export function getCountryCallingCode(country: CountryCode): CountryCallingCode {
  return coreGetCountryCallingCode(country, metadata);
}
