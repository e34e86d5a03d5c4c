/**
 * Building blocks of the admin functions' parameter schemas. Parameters arrive as form fields (strings)
 * or JSON, so booleans and lists accept both shapes; messages say what a valid value looks like.
 */
import { z } from 'zod';
import { MAX_ALLOWED_COUNTRIES } from '../registry/schema';
import { isKnownCountry, NUMBER_TYPES } from '../toll-fraud/destination-guard';
import {
  E164,
  E164_RULE,
  IDENTITY_RULE,
  sidPattern,
  sidRule,
  VOICE_IDENTITY,
  type SidPrefix,
} from '../vocabulary';

// Each building block says what it is (`.describe`): that is how a missing parameter is explained
// ("`subaccountSid` is required: the AC... SID of the subaccount") and how docs/openapi.json describes it.
const sid = (prefix: SidPrefix, what: string) =>
  z
    .string()
    .regex(sidPattern(prefix), `must be ${what} SID (${sidRule(prefix)})`)
    .describe(`${what} SID (${sidRule(prefix)})`);

export const accountSid = sid('AC', 'an account');
export const phoneNumberSid = sid('PN', 'a phone number');
export const addressSid = sid('AD', 'an address');

/** The subaccount a function acts on. */
export const subaccountSid = accountSid.describe(`the SID of the subaccount (${sidRule('AC')})`);

export const friendlyName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .describe('a name of 1 to 64 characters');

/** Caller-chosen, so retries of one request name the same key; safe as a Sync item key. */
export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,64}$/, 'must be 8 to 64 letters, digits or _ . : -')
  .describe('8 to 64 letters, digits or _ . : -, the same for every retry of one request');

export const e164 = z.string().regex(E164, `must be ${E164_RULE}`).describe(E164_RULE);

export const identity = z.string().regex(VOICE_IDENTITY, `must be ${IDENTITY_RULE}`);

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
      new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    'is not a calendar date',
  )
  .describe('a date as YYYY-MM-DD');

/** `true`/`false` as JSON booleans or form strings. */
export const flag = z
  .union([
    z.boolean(),
    z.enum(['true', 'false'], { message: 'must be true or false' }).transform((value) => value === 'true'),
  ])
  .describe('true or false');

/** A list as a JSON array, or a comma-separated form field. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part.length > 0)
        : value,
    z.array(item, { message: 'must be a list (JSON array or comma separated)' }),
  );

/** An ISO 3166 alpha-2 country code (any case) that libphonenumber knows, answered in upper case. */
export const countryCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 country code like US, GB or JM')
  .toUpperCase()
  .refine(
    isKnownCountry,
    'must be an ISO 3166 alpha-2 country code with a numbering plan, like US, GB or JM',
  );

/** The countries a subaccount's browser clients may call (the toll-fraud guard); duplicates dropped. */
export const allowedCountryList = listOf(countryCode)
  .pipe(
    z
      .array(z.string())
      .max(MAX_ALLOWED_COUNTRIES, `must be at most ${MAX_ALLOWED_COUNTRIES} countries`)
      .transform((codes) => [...new Set(codes)]),
  )
  .meta({
    description:
      "ISO 3166 alpha-2 countries the subaccount's browser clients may call (default: its caller ID's country, US without one)",
  });

/** The number types a subaccount's browser clients may not call (the toll-fraud guard). */
export const blockedNumberTypeList = listOf(
  z.enum(NUMBER_TYPES, { message: `must be one of ${NUMBER_TYPES.join(', ')}` }),
)
  .transform((types) => [...new Set(types)])
  .meta({
    description:
      'Number types its browser clients may not call (default: premium_rate, shared_cost, uan, personal_number, pager, unknown)',
  });

/** An object as JSON, or a form field holding JSON text. */
export const jsonObjectOf = <T extends z.ZodType>(shape: T) =>
  z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }, shape);

export const pageSize = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(100, 'must be at most 100');

export const cursor = z.string().min(1).max(2000);

/** Days a subaccount keeps its recordings: 1 to 3650 (ten years); null or "" to keep them until deleted. */
export const retentionDays = z.union([
  z.null(),
  z.literal(''),
  z.coerce.number().int('must be a whole number of days').min(1).max(3650),
]);
