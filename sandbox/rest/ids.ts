import { randomBytes } from 'node:crypto';
import type { SidPrefix } from '../../src/vocabulary';
import type { ServerlessSidPrefix } from '../state/serverless-types';

/** A Twilio SID: two-letter type prefix and 32 lowercase hex digits, as the specs' patterns require. */
export function newSid(prefix: SidPrefix | ServerlessSidPrefix): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Auth tokens and key secrets are 32 characters, like Twilio's. */
export function newSecret(): string {
  return randomBytes(16).toString('hex');
}
