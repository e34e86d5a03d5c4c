import type { Sandbox } from '../../sandbox';
import { OPERATION_LEASE_MS, type OperationRecord } from '../../src/admin/operations/record';
import type { KeyRing } from '../../src/config/key-ring';
import { nextVersion, sealItem } from '../../src/registry/item-seal';
import { OPERATION_ITEM, tenantMapName } from '../../src/registry/layout';

/**
 * The operation record a change of `sid` writes when it takes the subaccount and is then killed (or is
 * still working): in progress until OPERATION_LEASE_MS after `now`, signed as the service signs it.
 */
export function holdOperation(
  sandbox: Sandbox,
  keys: KeyRing<Buffer>,
  sid: string,
  operation: string,
  now: number,
): OperationRecord {
  const map = sandbox.state.syncMaps.find((m) => m.uniqueName === tenantMapName(sid));
  const held: OperationRecord = {
    operation,
    key: 'killed-call',
    payloadHash: 'a'.repeat(64),
    status: 'in_progress',
    expiresAt: new Date(now + OPERATION_LEASE_MS).toISOString(),
    progress: {},
  };
  sandbox.state.syncMapItems.push({
    key: OPERATION_ITEM,
    accountSid: map?.accountSid ?? '',
    serviceSid: map?.serviceSid ?? '',
    mapSid: map?.sid ?? '',
    revision: 0,
    data: sealItem(keys, tenantMapName(sid), OPERATION_ITEM, { ...held }, nextVersion(now)) as Record<
      string,
      unknown
    >,
    dateCreated: new Date(now).toISOString(),
    dateUpdated: new Date(now).toISOString(),
  });
  return held;
}

/** The change `holdOperation` stood for ends: its record is gone, as after its lease. */
export function releaseOperation(sandbox: Sandbox, sid: string): void {
  const map = sandbox.state.syncMaps.find((m) => m.uniqueName === tenantMapName(sid));
  const items = sandbox.state.syncMapItems;
  const index = items.findIndex((item) => item.mapSid === map?.sid && item.key === OPERATION_ITEM);
  if (index >= 0) items.splice(index, 1);
}
