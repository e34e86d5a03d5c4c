/** A configured prefix must itself be "+" and digits: an empty or malformed one must never allow everything. */
const PREFIX = /^\+[0-9]+$/;

/**
 * The toll-fraud guard: an outgoing call may reach an E.164 `number` only if it starts with one of the
 * account's allowed prefixes (by default `+1`, like Twilio's default geographic permissions).
 */
export function isAllowedDestination(number: string, allowedPrefixes: readonly string[]): boolean {
  return allowedPrefixes.some((prefix) => PREFIX.test(prefix) && number.startsWith(prefix));
}
