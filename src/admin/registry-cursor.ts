import { invalidParameter } from '../errors/service-error';
import { accountSid } from './parameters';

/**
 * Cursors of lists that walk the registry: the key (subaccount SID) of the last item a call examined,
 * so the next call resumes after any item, not only at a Sync page boundary. Opaque to callers.
 */
export function registryCursor(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

/** The registry key a cursor resumes after; a 400 naming `cursor` for one this service did not give. */
export function keyAfterCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!accountSid.safeParse(key).success)
    throw invalidParameter('cursor', 'is not a cursor this service returned');
  return key;
}
