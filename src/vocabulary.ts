/**
 * The words of Twilio's language the service checks: SIDs, E.164 numbers and Voice client identities.
 * Every part of the project (functions, pages, sandbox, scripts) takes them from here, so one rule is
 * written once. Plain regular expressions without imports: they bundle into the browser pages as well.
 */

/** 32 lowercase hex digits: the body of every SID, and the form of an auth token. */
const HEX_32 = '[0-9a-f]{32}';

/**
 * The SID prefixes the service and its sandbox deal in: a SID is a two-letter prefix naming the
 * resource type and 32 hex digits (https://www.twilio.com/docs/glossary/what-is-a-sid).
 */
export const SID_PREFIXES = {
  account: 'AC',
  address: 'AD',
  apiKey: 'SK',
  serverlessFunction: 'ZH',
  application: 'AP',
  call: 'CA',
  messagingService: 'MG',
  phoneNumber: 'PN',
  recording: 'RE',
  syncMap: 'MP',
  syncService: 'IS',
} as const;

export type SidPrefix = (typeof SID_PREFIXES)[keyof typeof SID_PREFIXES];

/** The unanchored pattern of one kind of SID, to embed in a larger pattern (a path, say). */
export function sidSource(prefix: SidPrefix): string {
  return `${prefix}${HEX_32}`;
}

const sidPatterns = new Map<SidPrefix, RegExp>();

/** The exact pattern of one kind of SID, e.g. `sidPattern('AC')` for account SIDs. */
export function sidPattern(prefix: SidPrefix): RegExp {
  let pattern = sidPatterns.get(prefix);
  if (!pattern) {
    pattern = new RegExp(`^${sidSource(prefix)}$`);
    sidPatterns.set(prefix, pattern);
  }
  return pattern;
}

export function isSid(prefix: SidPrefix, value: unknown): value is string {
  return typeof value === 'string' && sidPattern(prefix).test(value);
}

/** What a SID of that kind looks like, for messages: `"AC" and 32 hex characters`. */
export const sidRule = (prefix: SidPrefix): string => `"${prefix}" and 32 hex characters`;

/** An account's auth token: 32 hex digits, like a SID without prefix. */
export const AUTH_TOKEN = new RegExp(`^${HEX_32}$`);

/**
 * A run of 32 hex digits anywhere in a text, not part of a longer run: how an auth token or key secret
 * looks inside a log line (the redaction pattern; the lookbehind spares the hex body of a SID).
 */
export const HEX_32_IN_TEXT = new RegExp(`(?<![A-Z]{2}|[0-9a-fA-F])${HEX_32}(?![0-9a-fA-F])`, 'g');

/**
 * A phone number in E.164: "+", a country code that does not start with 0, and at most 15 digits in
 * all. ITU-T E.164 sets only that maximum; Twilio states the same rule
 * (https://www.twilio.com/docs/glossary/what-e164, https://www.twilio.com/docs/api/errors/13223:
 * "[+] [country code] [subscriber number including area code] and can have a maximum of 15 digits").
 * Neither gives a minimum, so the shortest accepted is a country code and one digit: whether a number
 * exists is Twilio's to say when it dials or sells it.
 */
export const E164 = /^\+[1-9][0-9]{1,14}$/;

export const E164_RULE = 'an E.164 number like +14155550100 ("+", country code, at most 15 digits)';

export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value);
}

/**
 * A dialling prefix as the toll-fraud guard of earlier releases stored them ("+" and the first 1 to 6
 * digits of E.164 numbers), read as countries now (registry/dialling-prefix-migration.ts).
 */
export const DIAL_PREFIX = /^\+[0-9]{1,6}$/;

/**
 * Voice client identities: letters, digits and underscore, as the Voice SDK documents them (other
 * characters break `client:<identity>` addresses). Twilio refuses client names over 256 characters
 * (https://www.twilio.com/docs/api/errors/31105) and connections whose access-token identity is too long
 * (https://www.twilio.com/docs/api/errors/51003, which defers the number to the SDK documentation); the
 * Voice SDK documentation gives 121 as the longest identity that can place and receive calls. That
 * figure could not be confirmed in the documentation searched for this module; 121 is the stricter of
 * the two limits, so it is ours.
 */
export const MAX_IDENTITY_LENGTH = 121;

export const VOICE_IDENTITY = new RegExp(`^[A-Za-z0-9_]{1,${MAX_IDENTITY_LENGTH}}$`);

export const IDENTITY_RULE = `letters, digits and underscore, 1 to ${MAX_IDENTITY_LENGTH} characters`;

export function isVoiceIdentity(value: unknown): value is string {
  return typeof value === 'string' && VOICE_IDENTITY.test(value);
}
