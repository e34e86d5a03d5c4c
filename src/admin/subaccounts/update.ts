import { z } from 'zod';
import { conflict, invalidParameter } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';
import {
  allowedCountryList,
  blockedNumberTypeList,
  e164,
  flag,
  friendlyName,
  identity,
  jsonObjectOf,
  retentionDays,
  subaccountSid,
} from '../parameters';
import { registered, runOperation } from '../operations/run-operation';
import { renameAccount } from './creation/parts';
import { subaccountDeleted } from './deleted';
import { setMessagingService } from './messaging-service';

export const updateParameters = z
  .object({
    subaccountSid,
    friendlyName: friendlyName.optional(),
    /** Default caller ID of outgoing browser calls; one of the subaccount's numbers, or "" for none. */
    callerId: z.union([e164, z.literal('')]).optional(),
    /** Which identities ring for which of its numbers: { "+14155550100": ["alice", "bob"] }. */
    inboundRouting: jsonObjectOf(
      z.record(e164, z.array(identity).max(20, 'at most 20 identities per number')),
    ).optional(),
    recording: flag.optional(),
    /** Voicemail when nobody answers an inbound call (true), or a message and hang-up (false). */
    voicemail: flag.optional(),
    /** Recordings older than this are deleted by `check` with `repair`; null or "" keeps them. */
    recordingRetentionDays: retentionDays.optional(),
    /** The toll-fraud guard: ISO countries browser calls may reach, number types they may not. */
    allowedCountries: allowedCountryList.optional(),
    blockedNumberTypes: blockedNumberTypeList.optional(),
    /** true: a Messaging Service holding its numbers; false: none (numbers taken out, service deleted). */
    messagingService: flag.optional(),
    /** The revision the change was based on (from get/list): refused with 409 if someone changed it since. */
    ifRevision: z.string().min(1).optional(),
  })
  .refine(
    (value) =>
      value.friendlyName !== undefined ||
      value.callerId !== undefined ||
      value.inboundRouting !== undefined ||
      value.recording !== undefined ||
      value.voicemail !== undefined ||
      value.recordingRetentionDays !== undefined ||
      value.allowedCountries !== undefined ||
      value.blockedNumberTypes !== undefined ||
      value.messagingService !== undefined,
    {
      message:
        'name at least one of friendlyName, callerId, inboundRouting, recording, voicemail, recordingRetentionDays, allowedCountries, blockedNumberTypes, messagingService',
      path: ['body'],
    },
  );

export type UpdateParameters = z.output<typeof updateParameters>;

/**
 * Changes settings of a subaccount; a new name is set on Twilio too. Caller ID and routing may only
 * name numbers the subaccount owns. The registry write is checked against the revision read (or the
 * one the caller names), so concurrent admins never overwrite each other unseen; the subaccount's
 * operation record keeps other lifecycle changes out meanwhile.
 */
export async function updateSubaccount(
  deps: AdminDeps,
  parameters: UpdateParameters,
): Promise<StoredItem<SubaccountRecord>> {
  const operation = { operation: 'update', subjects: [parameters.subaccountSid], payload: parameters };
  const { value } = await runOperation(deps, operation, ({ records: [stored] }) =>
    applyUnderLease(deps, parameters, registered(stored)),
  );
  return value;
}

async function applyUnderLease(
  deps: AdminDeps,
  parameters: UpdateParameters,
  stored: StoredItem<SubaccountRecord>,
): Promise<StoredItem<SubaccountRecord>> {
  if (parameters.ifRevision && parameters.ifRevision !== stored.revision) {
    throw conflict(
      'revision_conflict',
      `${parameters.subaccountSid} was changed since revision ${parameters.ifRevision}; read it again.`,
      {
        parameter: 'ifRevision',
        revision: stored.revision,
      },
    );
  }
  const changed = applyUpdate(stored.data, parameters, deps.now());
  if (parameters.friendlyName !== undefined && parameters.friendlyName !== stored.data.friendlyName) {
    await renameAccount(deps, stored.key, parameters.friendlyName);
  }
  if (parameters.messagingService !== undefined)
    changed.messagingServiceSid = await setMessagingService(deps, changed, parameters.messagingService);
  return deps.registry.replace(stored.key, stored.revision, changed);
}

function applyUpdate(record: SubaccountRecord, parameters: UpdateParameters, now: Date): SubaccountRecord {
  if (record.status === 'deleted') throw subaccountDeleted(record);
  if (record.status === 'closed')
    throw conflict('subaccount_closed', `${record.sid} is closed and cannot change.`);
  const owned = new Set(record.numbers.map((number) => number.phoneNumber));
  if (parameters.callerId && !owned.has(parameters.callerId)) {
    throw invalidParameter('callerId', `${parameters.callerId} is not a number of ${record.sid}`);
  }
  for (const number of Object.keys(parameters.inboundRouting ?? {})) {
    if (!owned.has(number))
      throw invalidParameter(`inboundRouting.${number}`, `is not a number of ${record.sid}`);
  }
  return {
    ...record,
    ...(parameters.friendlyName !== undefined ? { friendlyName: parameters.friendlyName } : {}),
    ...(parameters.callerId !== undefined ? { callerId: parameters.callerId || null } : {}),
    ...(parameters.inboundRouting !== undefined ? { inboundRouting: parameters.inboundRouting } : {}),
    ...(parameters.recording !== undefined ? { recording: parameters.recording } : {}),
    ...(parameters.voicemail !== undefined ? { voicemail: parameters.voicemail } : {}),
    ...(parameters.recordingRetentionDays !== undefined
      ? { recordingRetentionDays: parameters.recordingRetentionDays || null }
      : {}),
    ...(parameters.allowedCountries !== undefined ? { allowedCountries: parameters.allowedCountries } : {}),
    ...(parameters.blockedNumberTypes !== undefined
      ? { blockedNumberTypes: parameters.blockedNumberTypes }
      : {}),
    updatedAt: now.toISOString(),
  };
}
