/**
 * Building blocks of the admin functions' parameter schemas. Parameters arrive as form fields (strings)
 * or JSON, so booleans and lists accept both shapes; messages say what a valid value looks like.
 */
import { z } from 'zod';
import { MAX_ALLOWED_PREFIXES } from '../registry/schema';
import {
  DIAL_PREFIX,
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

/** A dialling prefix: "+" and 1 to 6 digits, e.g. +1 or +4420. */
export const dialPrefix = z.string().regex(DIAL_PREFIX, 'must be "+" and 1 to 6 digits, e.g. +1');

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

/** The dialling prefixes a subaccount may call, within the registry's cap. */
export const allowedPrefixList = listOf(dialPrefix).pipe(
  z.array(dialPrefix).max(MAX_ALLOWED_PREFIXES, `must be at most ${MAX_ALLOWED_PREFIXES} prefixes`),
);

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
