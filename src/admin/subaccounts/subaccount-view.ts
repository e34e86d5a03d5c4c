import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { SubaccountView } from '../answers';

/**
 * A registry item as admins see it: everything but secrets (key secrets stay encrypted in Sync and are
 * never answered), plus the revision to name in a later `update` (`ifRevision`).
 */
export function subaccountView(stored: StoredItem<SubaccountRecord>): SubaccountView {
  // Rotation receipts are bookkeeping for rotate-key's retries, not something an admin acts on; the
  // auth token's copy is a secret.
  const { apiKey, retiringApiKeys, keyRotations, authToken: _authToken, ...rest } = stored.data;
  return {
    ...rest,
    voicemail: rest.voicemail !== false,
    provisioning: rest.provisioning ?? null,
    apiKeySid: apiKey?.sid ?? null,
    retiringApiKeys: retiringApiKeys.map(({ sid, retireAfter }) => ({ sid, retireAfter })),
    revision: stored.revision,
  };
}
