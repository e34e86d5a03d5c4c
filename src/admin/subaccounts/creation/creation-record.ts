import type { SubaccountRecord } from '../../../registry/types';

/**
 * A new registry item with the settings every subaccount starts with (nothing routed, no recording,
 * the default toll-fraud guard), and `fields` on top: what `create` and `adopt` know of it.
 */
export function newSubaccountRecord(
  sid: string,
  friendlyName: string,
  now: Date,
  fields: Partial<Omit<SubaccountRecord, 'sid' | 'friendlyName' | 'createdAt' | 'updatedAt'>>,
): SubaccountRecord {
  const at = now.toISOString();
  return {
    sid,
    friendlyName,
    status: 'provisioning',
    apiKey: null,
    retiringApiKeys: [],
    twimlAppSid: null,
    numbers: [],
    callerId: null,
    inboundRouting: {},
    recording: false,
    messagingServiceSid: null,
    idempotencyKey: null,
    ...fields,
    createdAt: at,
    updatedAt: at,
  };
}
