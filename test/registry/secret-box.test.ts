import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret } from '../../src/registry/secret-box';

const key = randomBytes(32);
const sid = `AC${'1'.repeat(32)}`;

describe('secret box', () => {
  it('round-trips a key secret and never stores it in clear', () => {
    const secret = 'key-secret-0123456789abcdefABCDEF';
    const sealed = encryptSecret(key, secret, sid);
    expect(JSON.stringify(sealed)).not.toContain(secret);
    expect(decryptSecret(key, sealed, sid)).toBe(secret);
  });

  it('uses a fresh nonce for every encryption', () => {
    expect(encryptSecret(key, 'same', sid).iv).not.toBe(encryptSecret(key, 'same', sid).iv);
  });

  it('fails clearly with the wrong REGISTRY_ENCRYPTION_KEY instead of returning garbage', () => {
    const sealed = encryptSecret(key, 'secret', sid);
    expect(() => decryptSecret(randomBytes(32), sealed, sid)).toThrow(/REGISTRY_ENCRYPTION_KEY/);
  });

  it('refuses a secret copied onto another subaccount', () => {
    const sealed = encryptSecret(key, 'secret', sid);
    expect(() => decryptSecret(key, sealed, `AC${'2'.repeat(32)}`)).toThrow(/cannot be decrypted/);
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = encryptSecret(key, 'secret', sid);
    const data = Buffer.from(sealed.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    expect(() => decryptSecret(key, { ...sealed, data: data.toString('base64') }, sid)).toThrow();
  });
});
