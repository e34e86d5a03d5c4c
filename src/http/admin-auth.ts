import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServiceConfig } from '../config/config';
import { unauthorized } from '../errors/service-error';
import { bearerCredential, type RequestHeaders } from './request-input';

/**
 * Admin functions are public on Twilio (a `protected` Function checks a Twilio signature, which our
 * back-end does not send), so this check is the protection. Both sides are hashed to equal length and
 * compared in constant time against every configured key, so neither timing nor a prefix reveals a key.
 */
export function requireAdmin(headers: RequestHeaders | undefined, config: ServiceConfig): void {
  const credential = bearerCredential(headers);
  if (!credential) {
    throw unauthorized('Send the admin key as "Authorization: Bearer <key>".');
  }
  const presented = digest(credential);
  let accepted = false;
  for (const key of config.adminApiKeys) {
    accepted = timingSafeEqual(presented, digest(key)) || accepted;
  }
  if (!accepted) throw unauthorized('The admin key is not valid.');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
