import { createHash, hkdfSync } from 'node:crypto';

/**
 * A secret that can be rotated without downtime: every listed key is accepted on reads, the first
 * (newest) is the only one used for writes, as `ADMIN_API_KEYS` does for admin keys. Each key carries
 * an id (`kid`) that sealed data names, so a read tries the one key it was made with.
 */
export interface RingKey<K> {
  /** A short fingerprint of the key (8 base64url characters of a hash): names it without revealing it. */
  id: string;
  key: K;
}

export type KeyRing<K> = readonly [RingKey<K>, ...RingKey<K>[]];

/**
 * The id of a key: the first 8 base64url characters of SHA-256 over a fixed label and the key. 48 bits
 * tell apart the two or three keys a ring holds; they are no help in guessing a 256-bit key.
 */
export function keyId(key: Buffer | string): string {
  return createHash('sha256')
    .update('key-id/v1\0')
    .update(typeof key === 'string' ? Buffer.from(key, 'utf8') : key)
    .digest('base64url')
    .slice(0, 8);
}

export function keyRing<K extends Buffer | string>(keys: readonly K[]): KeyRing<K> {
  const ring = keys.map((key) => ({ id: keyId(key), key }));
  if (ring.length === 0) throw new Error('a key ring needs at least one key');
  return Object.freeze(ring) as unknown as KeyRing<K>;
}

/** The key named `id`, or undefined when the ring holds none by that id (retired, or never ours). */
export function ringKey<K>(ring: KeyRing<K>, id: string): RingKey<K> | undefined {
  return ring.find((entry) => entry.id === id);
}

/**
 * A key for one purpose derived from a registry key with HKDF-SHA256 (RFC 5869): the MAC of registry
 * items, media links and cursors each get their own, so no two purposes share key material and the
 * AES key itself is only ever used for AES.
 */
export function derivedKey(key: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), purpose, 32));
}
