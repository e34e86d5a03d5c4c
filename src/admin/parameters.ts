/**
 * Building blocks of the admin functions' parameter schemas. Parameters arrive as form fields (strings)
 * or JSON, so booleans and lists accept both shapes; messages say what a valid value looks like.
 */
import { z } from 'zod';

const sid = (prefix: string, what: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}[0-9a-f]{32}$`), `must be ${what} SID ("${prefix}" and 32 hex characters)`);

export const accountSid = sid('AC', 'an account');
export const phoneNumberSid = sid('PN', 'a phone number');
export const addressSid = sid('AD', 'an address');

export const friendlyName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters');

/** Caller-chosen, so retries of one request name the same key; safe as a Sync item key. */
export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,64}$/, 'must be 8 to 64 letters, digits or _ . : -');

export const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +14155550100');

/** A dialling prefix: "+" and 1 to 6 digits, e.g. +1 or +4420. */
export const dialPrefix = z.string().regex(/^\+\d{1,6}$/, 'must be "+" and 1 to 6 digits, e.g. +1');

/** Voice client identities: letters, digits and underscore (PRODUCT.md). */
export const identity = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,121}$/, 'must be letters, digits and underscore (at most 121)');

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
      new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    'is not a calendar date',
  );

/** `true`/`false` as JSON booleans or form strings. */
export const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false'], { message: 'must be true or false' }).transform((value) => value === 'true'),
]);

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
