import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { keyRing, ringKey, type KeyRing } from '../config/key-ring';
import { ServiceError } from '../errors/service-error';
import type { EncryptedSecret } from './types';

/**
 * The registry keys a secret may be read with: the configured ring (`config.registryKeys`, newest
 * first), or one key alone.
 */
export type RegistryKeys = KeyRing<Buffer> | Buffer;

const ringOf = (keys: RegistryKeys): KeyRing<Buffer> => (Buffer.isBuffer(keys) ? keyRing([keys]) : keys);

/**
 * AES-256-GCM for the secrets kept in the registry, under the newest key of the ring, whose id the
 * ciphertext carries (`kid`) so a read after a rotation picks the key it was made with. `boundTo` (the
 * subaccount SID and the item holding the secret, see layout.ts `secretBinding`) is authenticated with
 * each ciphertext, so a secret copied onto another subaccount's item, or into another item, does not
 * decrypt.
 */
export function encryptSecret(keys: RegistryKeys, plaintext: string, boundTo: string): EncryptedSecret {
  const [{ id, key }] = ringOf(keys);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    alg: 'A256GCM',
    kid: id,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/**
 * Decrypts with the key the secret names (every key of the ring for a secret sealed before key ids,
 * at most as many AES-GCM tries as keys listed), or fails with a clear error (never garbage) when no
 * listed key is the one or the binding is wrong.
 */
export function decryptSecret(keys: RegistryKeys, secret: EncryptedSecret, boundTo: string): string {
  const ring = ringOf(keys);
  const named = secret.kid === undefined ? undefined : ringKey(ring, secret.kid);
  const candidates = secret.kid === undefined ? ring : named ? [named] : [];
  for (const { key } of candidates) {
    const plain = tryDecrypt(key, secret, boundTo);
    if (plain !== undefined) return plain;
  }
  throw new ServiceError(
    500,
    'registry_secret_unreadable',
    `A secret of ${boundTo} in the registry cannot be decrypted: no key of REGISTRY_ENCRYPTION_KEY is the one it was stored with.`,
  );
}

function tryDecrypt(key: Buffer, secret: EncryptedSecret, boundTo: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(secret.iv, 'base64'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(secret.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(secret.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

/** Whether the secret is sealed under the newest key (`check` repair re-seals those that are not). */
export function sealedUnderNewest(keys: RegistryKeys, secret: EncryptedSecret): boolean {
  return secret.kid === ringOf(keys)[0].id;
}

/** The same secret, in the same place, encrypted afresh under the newest key. */
export function resealSecret(keys: RegistryKeys, secret: EncryptedSecret, binding: string): EncryptedSecret {
  return encryptSecret(keys, decryptSecret(keys, secret, binding), binding);
}
