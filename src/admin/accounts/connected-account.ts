import { conflict, notFound } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';

/** The registry item of a connected account of ours; 404 for any other SID. */
export async function connectedAccount(deps: AdminDeps, sid: string): Promise<StoredItem<SubaccountRecord>> {
  const stored = await deps.registry.get(sid);
  if (!stored || stored.data.kind !== 'connected') {
    throw notFound(
      'account_not_connected',
      `${sid} is not a connected account of this service${stored ? ' (it is a subaccount of ours)' : ''}.`,
    );
  }
  return stored;
}

/**
 * What is not ours to do on a customer's own account: suspending, reactivating or closing it, and
 * moving numbers in or out of it (Twilio moves numbers only between accounts of one main account:
 * https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource#transfer-a-phone-number-between-subaccounts).
 * Refused with a sentence, before anything is done.
 */
export function refuseForConnected(record: Pick<SubaccountRecord, 'sid' | 'kind'>, operation: string): void {
  if (record.kind !== 'connected') return;
  throw conflict(
    'not_allowed_for_connected_account',
    `${record.sid} is a connected account (the customer's own Twilio account): ${operation} is not ours to do there. Disconnect it (/admin/accounts/disconnect) to stop serving it.`,
  );
}

/**
 * `refuseForConnected` for accounts named by SID, before an operation reads them under its own rules:
 * one read of each one's `account` item (the main account and unknown SIDs pass, for the operation to
 * judge).
 */
export async function refuseConnectedAccounts(
  deps: AdminDeps,
  sids: readonly (string | undefined)[],
  operation: string,
): Promise<void> {
  const ours = sids.filter((sid): sid is string => sid !== undefined && sid !== deps.config.accountSid);
  const accounts = await Promise.all(ours.map((sid) => deps.registry.readAccount(sid)));
  for (const tenant of accounts) if (tenant) refuseForConnected(tenant.account, operation);
}
