import { conflict } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';
import { registeredSubaccount } from '../subaccounts/registered';

/**
 * The tenant whose recordings are asked for, read from the registry; reading it also hands a connected
 * account's own auth token to the Twilio clients (registry/registry.ts), so the Recordings requests that
 * follow go out as that account, the only credentials Twilio accepts there. A disconnected account's
 * token is gone: its recordings are its owner's to read in their Console (409 `account_disconnected`).
 */
export async function recordingOwner(deps: AdminDeps, sid: string): Promise<StoredItem<SubaccountRecord>> {
  const stored = await registeredSubaccount(deps, sid);
  if (stored.data.status === 'disconnected') {
    throw conflict(
      'account_disconnected',
      `${sid} is disconnected: this service no longer holds its credentials, so its recordings are read in its own Twilio Console.`,
    );
  }
  return stored;
}
