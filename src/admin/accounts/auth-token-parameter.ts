import { z } from 'zod';

/**
 * An account's auth token as its owner copies it from the Console: 32 hexadecimal characters
 * (https://www.twilio.com/docs/iam/api/account#account-properties shows one; the format is not
 * specified there, so any 16 to 128 letters and digits are taken and Twilio is the judge).
 */
export const authToken = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{16,128}$/, 'must be the auth token as the Console shows it (letters and digits)')
  .describe("the account's auth token, as its Console shows it");
