import type { StoredItem } from '../../registry/sync-map-store';
import type { ConnectionState, SubaccountRecord } from '../../registry/types';
import { callingPolicyOf } from '../../toll-fraud/calling-policy';
import type { SubaccountView } from '../answers';

/**
 * A registry item as admins see it: everything but secrets (key secrets stay encrypted in Sync and are
 * never answered), plus the revision to name in a later `update` (`ifRevision`), and the toll-fraud
 * guard its calls are held to (its defaults filled in).
 */
export function subaccountView(stored: StoredItem<SubaccountRecord>): SubaccountView {
  // Rotation receipts are bookkeeping for rotate-key's retries, not something an admin acts on; the
  // auth token's copy is a secret.
  const { apiKey, retiringApiKeys, keyRotations, authToken: _authToken, connection, ...rest } = stored.data;
  const calling = callingPolicyOf(rest);
  return {
    ...rest,
    allowedCountries: [...calling.allowedCountries],
    blockedNumberTypes: [...calling.blockedNumberTypes],
    voicemail: rest.voicemail !== false,
    recordingRetentionDays: rest.recordingRetentionDays ?? null,
    provisioning: rest.provisioning ?? null,
    apiKeySid: apiKey?.sid ?? null,
    retiringApiKeys: retiringApiKeys.map(({ sid, retireAfter }) => ({ sid, retireAfter })),
    kind: rest.kind ?? 'subaccount',
    connection: connection ? connectionView(connection) : null,
    revision: stored.revision,
  };
}

function connectionView(connection: ConnectionState): NonNullable<SubaccountView['connection']> {
  return {
    ...connection,
    pointedNumbers: connection.pointedNumbers.map(({ sid, phoneNumber, ...before }) => ({
      sid,
      phoneNumber,
      before,
    })),
  };
}
