import { isE164, isVoiceIdentity } from '../vocabulary';

/**
 * Where a browser client asked to call (`To`): a phone number in E.164 form, or another client of the
 * same account by identity (`client:alice` or `alice`).
 */
export type Destination =
  { kind: 'number'; number: string } | { kind: 'client'; identity: string } | { kind: 'invalid' };

/** What people type between digits: spaces, dots, dashes and parentheses. */
const VISUAL_SEPARATORS = /[\s().-]/g;

export function parseDestination(to: string): Destination {
  const trimmed = to.trim();
  if (trimmed.startsWith('client:')) return clientDestination(trimmed.slice('client:'.length));
  if (trimmed.startsWith('+')) {
    const number = asE164(trimmed);
    return number ? { kind: 'number', number } : { kind: 'invalid' };
  }
  return clientDestination(trimmed);
}

function clientDestination(identity: string): Destination {
  return isVoiceIdentity(identity) ? { kind: 'client', identity } : { kind: 'invalid' };
}

/** The identity of a browser client from the `From` of its call (`client:alice`), or undefined. */
export function callingIdentity(from: string): string | undefined {
  if (!from.startsWith('client:')) return undefined;
  const identity = from.slice('client:'.length);
  return isVoiceIdentity(identity) ? identity : undefined;
}

/**
 * A number as E.164, or undefined when it is not written as one (visual separators allowed). E.164 is
 * the canonical form the dialling-prefix guard compares against, so nothing else may pass: a number in
 * any other form could slip past a prefix.
 */
export function asE164(value: string): string | undefined {
  const number = value.trim().replace(VISUAL_SEPARATORS, '');
  return isE164(number) ? number : undefined;
}
