import { conflict, type ServiceError } from '../errors/service-error';
import type { ProvisioningState, SubaccountRecord } from '../registry/types';

/**
 * The parts of a subaccount that `create` puts in place, as `provisioning.missing` names them;
 * `registry` when all are in place but the registry item could not be marked complete.
 */
export type ProvisionedPart =
  'apiKey' | 'twimlApp' | 'messagingService' | 'number' | 'friendlyName' | 'registry';

/** What an unfinished create lacks and why, in one line. */
export function describeProvisioning(state: ProvisioningState | null | undefined): string {
  if (!state) return 'its create has not finished';
  return `missing ${state.missing.join(', ') || 'nothing'}: ${state.reason}`;
}

/** How a caller finishes, or gives up, a subaccount whose create stopped. */
export function howToFinish(record: Pick<SubaccountRecord, 'idempotencyKey'>): string {
  const key = record.idempotencyKey ? ` with idempotencyKey ${record.idempotencyKey}` : '';
  return `call create again${key} (number parameters may change), or move a number in with numbers/transfer when only the number is missing, or close it`;
}

/** The refusal of a lifecycle change (suspend, reactivate, rotate-key) while the create is unfinished. */
export function stillProvisioning(record: SubaccountRecord): ServiceError {
  return conflict(
    'subaccount_provisioning',
    `${record.sid} is still being created (${describeProvisioning(record.provisioning)}); ${howToFinish(record)}.`,
    {
      subaccountSid: record.sid,
      idempotencyKey: record.idempotencyKey,
      provisioning: record.provisioning ?? null,
    },
  );
}

/** An unfinished create that lacks nothing but a number: a number moved in with numbers/transfer finishes it. */
export function awaitsOnlyNumber(record: SubaccountRecord): boolean {
  return (
    record.status === 'provisioning' &&
    record.apiKey !== null &&
    record.twimlAppSid !== null &&
    (record.provisioning?.missing ?? []).every((part) => part === 'number')
  );
}

/** The fields that change when a number arrives in a subaccount: complete when the number was all it lacked. */
export function finishedByNumber(record: SubaccountRecord): Partial<SubaccountRecord> {
  return awaitsOnlyNumber(record) ? { status: 'active', provisioning: null } : {};
}
