/**
 * The guard's libphonenumber-js metadata, parsed one calling code at a time (src/toll-fraud/
 * phone-numbers.ts), classifies every number exactly as the package's whole "max" metadata does.
 */
import fc from 'fast-check';
import * as full from 'libphonenumber-js/max';
import fullMetadata from 'libphonenumber-js/max/metadata';
import examples from 'libphonenumber-js/examples.mobile.json';
import * as perCode from '../../src/toll-fraud/phone-numbers';
import { SUPPORTED_COUNTRIES } from '../../src/toll-fraud/supported-countries';
import { propertyRuns } from '../helpers/property-runs';

const callingCodes = [
  ...Object.keys(fullMetadata.country_calling_codes),
  ...Object.keys(fullMetadata.nonGeographic ?? {}),
];
const exampleNumbers = Object.entries(examples).map(
  ([country, national]) => `+${full.getCountryCallingCode(country as full.CountryCode)}${national}`,
);

function classified(parse: (text: string) => full.PhoneNumber | undefined, text: string) {
  const number = parse(text);
  return (
    number && {
      country: number.country,
      callingCode: number.countryCallingCode,
      national: number.nationalNumber,
      type: number.getType(),
      valid: number.isValid(),
      possible: number.isPossible(),
    }
  );
}

/** A calling code and digits, an example mobile number with its last digits changed, or either formatted. */
const dialled = fc.oneof(
  fc
    .tuple(fc.constantFrom(...callingCodes), fc.stringMatching(/^[0-9]{0,14}$/))
    .map(([code, rest]) => `+${code}${rest}`),
  fc
    .tuple(
      fc.constantFrom(...exampleNumbers),
      fc.integer({ min: 0, max: 3 }),
      fc.stringMatching(/^[0-9]{0,3}$/),
    )
    .map(([number, cut, tail]) => number.slice(0, number.length - cut) + tail),
  fc
    .constantFrom(...exampleNumbers)
    .map((number) => `${number.slice(0, 3)} (${number.slice(3, 6)}) ${number.slice(6)}`),
);

describe('per-calling-code metadata', () => {
  test('classifies generated numbers across every calling code as the full metadata does', () => {
    fc.assert(
      fc.property(dialled, (text) => {
        expect(classified(perCode.parsePhoneNumberFromString, text)).toEqual(
          classified(full.parsePhoneNumberFromString, text),
        );
      }),
      propertyRuns({ quick: 2000, full: 50_000 }),
    );
  });

  test('every example number keeps its country and type', () => {
    for (const number of exampleNumbers) {
      expect(classified(perCode.parsePhoneNumberFromString, number)).toEqual(
        classified(full.parsePhoneNumberFromString, number),
      );
    }
  });

  test('knows the same countries and their calling codes', () => {
    const countries = Object.keys(fullMetadata.countries);
    expect(SUPPORTED_COUNTRIES.size).toBe(countries.length);
    for (const country of countries) {
      expect(SUPPORTED_COUNTRIES.has(country)).toBe(true);
      expect(perCode.getCountryCallingCode(country as full.CountryCode)).toBe(
        full.getCountryCallingCode(country as full.CountryCode),
      );
    }
    for (const code of ['XX', 'ZZ', 'AA', '001', 'us']) {
      expect(SUPPORTED_COUNTRIES.has(code)).toBe(full.isSupportedCountry(code));
    }
  });

  test('classifying a +1 number parses the North American countries only, once', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../../src/toll-fraud/phone-numbers') as typeof perCode;
      const parse = jest.spyOn(JSON, 'parse');
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { isKnownCountry } = require('../../src/toll-fraud/destination-guard') as {
          isKnownCountry: (code: string) => boolean;
        };
        expect(isKnownCountry('GB')).toBe(true);
        expect(parse).not.toHaveBeenCalled();
        expect(fresh.parsePhoneNumberFromString('+19005550123')?.getType()).toBe('PREMIUM_RATE');
        expect(fresh.parsePhoneNumberFromString('+18765550123')?.country).toBe('JM');
        expect(parse).toHaveBeenCalledTimes(1);
        // Its group: +1 alone, and in it the countries of the North American plan.
        const group = parse.mock.results[0]?.value as Record<string, { countries: object }>;
        expect(Object.keys(group)).toEqual(['1']);
        const countries = Object.keys(group['1']?.countries ?? {});
        expect(countries.sort()).toEqual([...(fullMetadata.country_calling_codes['1'] ?? [])].sort());
      } finally {
        parse.mockRestore();
      }
    });
  });
});
