import type { CountryCode } from 'libphonenumber-js/max';
import { countryOfNumber, isKnownCountry } from '../toll-fraud/destination-guard';
import { asYouType, phoneNumbers } from '../toll-fraud/phone-numbers-library';

/** What releases before the country guard accepted as a prefix: "+" and digits. */
const PREFIX = /^\+[0-9]+$/;

/**
 * Releases before the country guard kept `allowedPrefixes`, E.164 prefixes (default `["+1"]`). An item
 * that still holds them is read as these `allowedCountries`, and its next write stores them:
 * - a prefix that is a whole country calling code (`+1`, `+44`) is the main country of that code (US,
 *   GB; libphonenumber lists it first), and the caller ID's country too when it shares the code (a
 *   Canadian subaccount with `+1` keeps calling Canada);
 * - a longer prefix is the country libphonenumber recognises from its digits (`+1876` Jamaica, `+1809`
 *   the Dominican Republic), else the main country of its code (`+1212` US, `+4420` GB);
 * - a prefix of no country (`+882`, `+999`, a malformed one) allows nothing.
 * So `+1` no longer reaches the Caribbean countries that share the North American plan: what the
 * country guard is for.
 */
export function countriesForPrefixes(prefixes: readonly string[], callerId: string | null): string[] {
  // Loaded here, for the rare item that still holds prefixes, not with the registry.
  const { getCountryCallingCode, metadata } = phoneNumbers();
  const { AsYouType } = asYouType();
  const callerCountry = callerId ? countryOfNumber(callerId) : undefined;
  const countries = new Set<string>();
  for (const prefix of prefixes) {
    if (!PREFIX.test(prefix)) continue;
    const typed = new AsYouType();
    typed.input(prefix);
    const code = typed.getCallingCode();
    const main = code ? metadata.country_calling_codes[code]?.[0] : undefined;
    if (!code || !main || !isKnownCountry(main)) continue;
    if (prefix.slice(1) !== code) {
      countries.add(typed.getCountry() ?? main);
      continue;
    }
    countries.add(main);
    if (
      callerCountry &&
      isKnownCountry(callerCountry) &&
      getCountryCallingCode(callerCountry as CountryCode) === code
    ) {
      countries.add(callerCountry);
    }
  }
  return [...countries];
}

/**
 * The item with its `allowedPrefixes` taken out and read as the countries they stand for, unless it
 * has countries of its own (its type still names the field, which is never there after this).
 */
export function readPrefixesAsCountries<
  T extends { allowedPrefixes?: string[]; allowedCountries?: string[]; callerId: string | null },
>(item: T): T {
  if (!item.allowedPrefixes) return item;
  const { allowedPrefixes, ...rest } = item;
  return {
    ...rest,
    allowedCountries: rest.allowedCountries ?? countriesForPrefixes(allowedPrefixes, rest.callerId),
  } as T;
}
