import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ServiceError } from '../errors/service-error';
import type { EncryptedSecret } from './types';

/**
 * AES-256-GCM for the secrets kept in the registry. `boundTo` (the subaccount SID and the item holding
 * the secret, see layout.ts `secretBinding`) is authenticated with each ciphertext, so a secret copied
 * onto another subaccount's item, or into another item, does not decrypt.
 */
export function encryptSecret(key: Buffer, plaintext: string, boundTo: string): EncryptedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    alg: 'A256GCM',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Decrypts, or fails with a clear error (never garbage) when the key or the binding is wrong. */
export function decryptSecret(key: Buffer, secret: EncryptedSecret, boundTo: string): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(secret.iv, 'base64'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(secret.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(secret.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new ServiceError(
      500,
      'registry_secret_unreadable',
      `A secret of ${boundTo} in the registry cannot be decrypted: REGISTRY_ENCRYPTION_KEY is not the key it was stored with.`,
    );
  }
}

/** The same secret bound to another place (a migrated item), decrypted and encrypted afresh. */
export function rebindSecret(
  key: Buffer,
  secret: EncryptedSecret,
  from: string,
  to: string,
): EncryptedSecret {
  return encryptSecret(key, decryptSecret(key, secret, from), to);
}
