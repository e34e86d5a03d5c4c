/**
 * What the toll-fraud guard uses of libphonenumber-js, with its full ("max") metadata: the metadata
 * that knows number types. The smaller sets the package offers cannot tell a premium-rate or
 * shared-cost number from another (`min` validates by length only, `mobile` knows mobile numbers only:
 * libphonenumber-js's README, "Metadata"), and the guard blocks by type.
 *
 * Its own module so that it is loaded when a number is first classified (destination-guard.ts), not
 * when a function loads: the build makes it a private Function that the others require at that
 * moment (phone-numbers-library.ts), the package's ES modules bundled into it, so loading it is
 * reading one file, not resolving and reading a hundred.
 *
 * The metadata is parsed one group of calling codes at a time (metadata-split.ts): classifying a +1
 * number parses the North American plan's countries and nothing else, once per instance.
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
import { groupOf, type CallingCodeMetadata } from './metadata-split';

const parsedGroups = new Map<string, Record<string, CallingCodeMetadata>>();

/** A calling code's share of the metadata, its group parsed on first need (metadata-split.ts). */
function share(code: string): CallingCodeMetadata {
  const group = groupOf(code);
  let parsed = parsedGroups.get(group);
  if (!parsed) {
    parsed = JSON.parse(byCallingCode.groupText(group) ?? '{}') as Record<string, CallingCodeMetadata>;
    parsedGroups.set(group, parsed);
  }
  return parsed[code] ?? { countries: {} };
}

/**
 * A table of the metadata (`countries` or `nonGeographic`) whose entries are read from their calling
 * code's share on first access: a Proxy, so that nothing is done per country until a number of its
 * code is classified (a getter defined for each of the 245 countries cost more than parsing a
 * group). It lists its keys like the plain table would (`in`, `Object.keys`).
 */
function lazyTable(
  codeOf: ReadonlyMap<string, string>,
  entry: (share: CallingCodeMetadata, key: string) => unknown,
): Record<string, unknown> {
  const code = (key: string | symbol) => (typeof key === 'string' ? codeOf.get(key) : undefined);
  const value = (key: string | symbol) => {
    const found = code(key);
    return found === undefined ? undefined : entry(share(found), key as string);
  };
  return new Proxy<Record<string, unknown>>(
    {},
    {
      // Anything else, as a plain object answers it (libphonenumber-js checks `constructor`).
      get: (target, key) => (code(key) === undefined ? Reflect.get(target, key) : value(key)),
      has: (_, key) => code(key) !== undefined,
      ownKeys: () => [...codeOf.keys()],
      getOwnPropertyDescriptor: (_, key) =>
        code(key) === undefined
          ? undefined
          : { value: value(key), enumerable: true, configurable: true, writable: false },
    },
  );
}

/** The full metadata as libphonenumber-js reads it, each entry parsed with its code on first read. */
function lazyMetadata(): MetadataJson {
  const countryCodes = new Map<string, string>();
  for (const [code, listed] of Object.entries(byCallingCode.country_calling_codes)) {
    for (const country of listed) countryCodes.set(country, code);
  }
  const nonGeographicCodes = new Map(byCallingCode.nonGeographicCodes.map((code) => [code, code]));
  return {
    version: byCallingCode.version,
    country_calling_codes: byCallingCode.country_calling_codes,
    countries: lazyTable(countryCodes, (share, country) => share.countries[country]),
    nonGeographic: lazyTable(nonGeographicCodes, (share, code) => share.nonGeographic?.[code]),
  } as unknown as MetadataJson;
}

export const metadata = lazyMetadata();

export function parsePhoneNumberFromString(text: string): PhoneNumber | undefined {
  return coreParse(text, metadata);
}

export function getCountryCallingCode(country: CountryCode): CountryCallingCode {
  return coreGetCountryCallingCode(country, metadata);
}
