import { randomUUID } from 'node:crypto';
import type { AdminDeps } from './deps';
import { secretBinding } from '../registry/layout';
import { encryptSecret } from '../registry/secret-box';
import type { ApiKeyRef } from '../registry/types';
import { isTwilioNotFound } from '../twilio/rest-errors';
import { twilioCall } from './twilio-call';

/** Friendly name of the Standard API key that signs a subaccount's Voice access tokens. */
export const API_KEY_NAME = 'voice-access-tokens';

/** Whether a key is named as createApiKey names the keys it makes. */
export const isServiceKeyName = (friendlyName: string | null | undefined): boolean =>
  friendlyName?.startsWith(`${API_KEY_NAME} `) === true;

/**
 * Creates a Standard API key in the subaccount and returns it with its secret already encrypted: the
 * plaintext secret (shown by Twilio only once) never leaves this function. Each attempt names its key
 * uniquely, so when the answer is lost (the key may exist, its secret unknown) that key, and only that
 * one, is found and deleted before the error goes up: a retry then leaves no orphan key behind.
 */
export async function createApiKey(deps: AdminDeps, subaccountSid: string): Promise<ApiKeyRef> {
  const friendlyName = `${API_KEY_NAME} ${randomUUID()}`;
  const twilio = deps.clients.actingOn(subaccountSid);
  let key;
  try {
    key = await twilioCall(
      `Creating an API key in ${subaccountSid}`,
      twilio.newKeys.create({ friendlyName }),
    );
  } catch (error) {
    await deleteKeysNamed(deps, subaccountSid, friendlyName).catch(() => undefined);
    throw error;
  }
  return {
    sid: key.sid,
    secret: encryptSecret(deps.config.registryKeys, key.secret, secretBinding(subaccountSid)),
    createdAt: deps.now().toISOString(),
  };
}

async function deleteKeysNamed(deps: AdminDeps, subaccountSid: string, friendlyName: string): Promise<void> {
  const keys = await deps.clients.actingOn(subaccountSid).keys.list({ pageSize: 1000 });
  const named = keys.filter((key) => key.friendlyName === friendlyName);
  await Promise.all(named.map((key) => deleteApiKey(deps, subaccountSid, key.sid)));
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
