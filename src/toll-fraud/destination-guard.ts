/**
 * The toll-fraud guard: which numbers a subaccount's browser clients may call, by the number's country
 * and its type, as libphonenumber-js's full metadata (`libphonenumber-js/max`) classifies it. Twilio
 * organises its own Voice Dialing Geographic Permissions the same way: per country by ISO code, with
 * "high-risk special numbers" (premium, shared cost and other special services) blockable on their own
 * (https://www.twilio.com/docs/voice/api/dialing-permissions-resources,
 * https://www.twilio.com/docs/sip-trunking/voice-dialing-geographic-permissions). This guard is the
 * per-subaccount backstop in front of the account's geo permissions, not a replacement for them: Twilio's
 * list of high-risk toll-fraud ranges is not published, so ranges libphonenumber calls ordinary are
 * only stopped there.
 *
 * Countries, not dialling prefixes: the North American plan shares +1 between the US, Canada and 23
 * Caribbean and Pacific countries and territories (+1876 Jamaica, +1809 the Dominican Republic, +1284 the
 * British Virgin Islands), each its own country here, and premium-rate +1900 numbers are US numbers of
 * type premium rate.
 *
 * Bundled into the softphone page too (the page tells the caller before dialling); the server
 * decides again at /voice.
 *
 * Cost on /voice's hot path: one parse of the dialled number per request, and its type only when its
 * country is allowed (the type walks more of libphonenumber's metadata than the parse), or a Map lookup
 * for a number among the last PARSED_CACHE distinct numbers the instance checked (`npm run bench`
 * measures it). No REST call and no I/O, so no Twilio rate limit
 * applies, and microseconds against a Function's 10 s. The cache is bounded (cleared when full), so a
 * flood of distinct numbers costs a parse each, never memory.
 */
import type { PhoneNumber } from 'libphonenumber-js/max';

import { phoneNumbers as loadPhoneNumbers } from './phone-numbers-library';

/** libphonenumber-js, loaded when a number is first classified (phone-numbers-library.ts says from where). */
let library: typeof import('./phone-numbers') | undefined;
const phoneNumbers = () => (library ??= loadPhoneNumbers());

/**
 * The number types of libphonenumber's metadata, named in lower case as the admin API takes them, and
 * `unknown`: a number libphonenumber does not recognise as valid (no range of its country holds it).
 */
export const NUMBER_TYPES = [
  'premium_rate',
  'toll_free',
  'shared_cost',
  'voip',
  'personal_number',
  'pager',
  'uan',
  'voicemail',
  'fixed_line',
  'mobile',
  'fixed_line_or_mobile',
  'unknown',
] as const;

export type NumberType = (typeof NUMBER_TYPES)[number];

/** Blocked unless a subaccount says otherwise: the special-service types fraud pays through, and the unrecognised. */
export const DEFAULT_BLOCKED_NUMBER_TYPES: readonly NumberType[] = [
  'premium_rate',
  'shared_cost',
  'uan',
  'personal_number',
  'pager',
  'unknown',
];

/** What a subaccount's browser clients may call: ISO 3166 alpha-2 countries, less the blocked types. */
export interface CallingPolicy {
  allowedCountries: readonly string[];
  blockedNumberTypes: readonly NumberType[];
}

/** Why the guard refuses a number; `country` undefined for a number of no country (e.g. +882, +870). */
export type GuardRefusal =
  { reason: 'country'; country: string | undefined } | { reason: 'number_type'; numberType: NumberType };

let supported: ReadonlySet<string> | undefined;

/**
 * True for an upper-case ISO 3166 alpha-2 code that libphonenumber has numbering data for: from the
 * metadata's calling-code index, so checking a stored list of countries loads no libphonenumber code.
 */
export function isKnownCountry(code: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  supported ??= (require('./supported-countries') as typeof import('./supported-countries'))
    .SUPPORTED_COUNTRIES;
  return /^[A-Z]{2}$/.test(code) && supported.has(code);
}

/** A dialled number as parsed (undefined when it is no international number), its type once asked. */
interface Parsed {
  number: PhoneNumber | undefined;
  numberType?: NumberType;
}

const PARSED_CACHE = 1024;
const parsedNumbers = new Map<string, Parsed>();

function parsed(number: string): Parsed {
  let entry = parsedNumbers.get(number);
  if (!entry) {
    entry = {
      number: number.startsWith('+') ? phoneNumbers().parsePhoneNumberFromString(number) : undefined,
    };
    // Bounded: a flood of distinct numbers empties it rather than growing it.
    if (parsedNumbers.size >= PARSED_CACHE) parsedNumbers.clear();
    parsedNumbers.set(number, entry);
  }
  return entry;
}

/** Its type; `getType()` answers nothing for a number no range of its country holds (not valid). */
function typeOf(entry: Parsed): NumberType {
  if (entry.numberType === undefined) {
    const name = entry.number?.getType()?.toLowerCase() ?? 'unknown';
    entry.numberType = (NUMBER_TYPES as readonly string[]).includes(name) ? (name as NumberType) : 'unknown';
  }
  return entry.numberType;
}

/**
 * Undefined when `policy` lets a browser client call `number` (E.164), else why not: a country not
 * allowed first (the more specific reason), then a blocked type, then a number of no country. Anything
 * that does not parse is of type `unknown` and of no country, so malformed input never passes.
 */
export function checkDestination(number: string, policy: CallingPolicy): GuardRefusal | undefined {
  const entry = parsed(number);
  const country = entry.number?.country;
  if (country && !policy.allowedCountries.includes(country)) return { reason: 'country', country };
  const numberType = typeOf(entry);
  if (policy.blockedNumberTypes.includes(numberType)) return { reason: 'number_type', numberType };
  return country ? undefined : { reason: 'country', country: undefined };
}

/**
 * Classifies `number` (E.164) ahead of `checkDestination`, which then finds it in the parse cache: the
 * first classification of an instance loads libphonenumber-js and parses its calling code's metadata,
 * work a cold /voice does while its registry read is in flight (voice-webhook.ts `whileReading`).
 */
export function classifyAhead(number: string): void {
  typeOf(parsed(number));
}

/** The country of an E.164 number (e.g. a caller ID), or undefined when it has none. */
export function countryOfNumber(number: string): string | undefined {
  return parsed(number).number?.country;
}
