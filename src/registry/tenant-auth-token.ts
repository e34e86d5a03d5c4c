import { authTokenBinding } from './layout';
import { decryptSecret, encryptSecret, type RegistryKeys } from './secret-box';
import type { EncryptedSecret } from './types';

/**
 * A subaccount's auth token as its `account` item keeps it: AES-256-GCM with REGISTRY_ENCRYPTION_KEY,
 * bound to that item and field (layout.ts `authTokenBinding`). Twilio answers the token to the main
 * account (GET /Accounts and /Accounts/{sid}); what the registry holds is a copy, which a rotation on
 * Twilio makes stale until the next `check` with repair: the voice webhooks then re-read it from Twilio
 * on the first signature that does not verify (webhooks/auth-token-cache.ts).
 */
export function sealAuthToken(key: RegistryKeys, subaccountSid: string, authToken: string): EncryptedSecret {
  return encryptSecret(key, authToken, authTokenBinding(subaccountSid));
}

export function openAuthToken(key: RegistryKeys, subaccountSid: string, sealed: EncryptedSecret): string {
  return decryptSecret(key, sealed, authTokenBinding(subaccountSid));
}
