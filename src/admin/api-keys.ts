import type { AdminDeps } from './deps';
import { encryptSecret } from '../registry/secret-box';
import type { ApiKeyRef } from '../registry/types';
import { isTwilioNotFound } from '../twilio/rest-errors';
import { twilioCall } from './twilio-call';

/** Friendly name of the Standard API key that signs a subaccount's Voice access tokens. */
export const API_KEY_NAME = 'voice-access-tokens';

/**
 * Creates a Standard API key in the subaccount and returns it with its secret already encrypted: the
 * plaintext secret (shown by Twilio only once) never leaves this function.
 */
export async function createApiKey(deps: AdminDeps, subaccountSid: string): Promise<ApiKeyRef> {
  const key = await twilioCall(
    `Creating an API key in ${subaccountSid}`,
    deps.clients.actingOn(subaccountSid).newKeys.create({ friendlyName: API_KEY_NAME }),
  );
  return {
    sid: key.sid,
    secret: encryptSecret(deps.config.registryEncryptionKey, key.secret, subaccountSid),
    createdAt: deps.now().toISOString(),
  };
}

/** Deletes a key; one that is already gone counts as deleted. */
export async function deleteApiKey(deps: AdminDeps, subaccountSid: string, keySid: string): Promise<void> {
  await twilioCall(
    `Deleting API key ${keySid} of ${subaccountSid}`,
    deps.clients
      .actingOn(subaccountSid)
      .keys(keySid)
      .remove()
      .catch((error: unknown) => {
        if (isTwilioNotFound(error)) return true;
        throw error;
      }),
  );
}
