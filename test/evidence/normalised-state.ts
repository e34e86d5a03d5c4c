/**
 * What a user can see of the sandbox and the registry, with SIDs and timestamps left out: two runs of the
 * same operation (one clean, one under faults and retried) must give the same picture, although the
 * SIDs of what they created differ. Phone numbers are stable (the sandbox hands them out in order), so
 * they stay; everything else is described by what it is and whether its references hold.
 */
import type { SandboxState } from '../../sandbox';
import {
  ACCOUNT_ITEM,
  DIRECTORY_MAP,
  OPERATION_ITEM,
  assembleRecord,
  secretBinding,
  tenantMapName,
} from '../../src/registry/layout';
import type { AccountItem, NumberItem } from '../../src/registry/schema';
import { decryptSecret } from '../../src/registry/secret-box';
import type { ApiKeyRef, SubaccountRecord } from '../../src/registry/types';

export function normalisedState(state: SandboxState, mainAccountSid: string, registryKey: Buffer, now: Date) {
  const mapName = (mapSid: string) => state.syncMaps.find((m) => m.sid === mapSid)?.uniqueName ?? mapSid;
  const itemsOf = (name: string) => state.syncMapItems.filter((item) => mapName(item.mapSid) === name);
  const registryItems = itemsOf(DIRECTORY_MAP);
  /** The record as the registry assembles it from the subaccount's Map (no `account` item: none). */
  const recordOf = (sid: string): SubaccountRecord | undefined => {
    const items = itemsOf(tenantMapName(sid));
    const account = items.find((item) => item.key === ACCOUNT_ITEM);
    if (!account) return undefined;
    const numbers = items.filter((item) => item !== account && item.key !== OPERATION_ITEM);
    return assembleRecord(
      account.data as AccountItem,
      numbers.map((item) => item.data as NumberItem),
    );
  };
  const phoneOf = (numberSid: string) =>
    state.incomingPhoneNumbers.find((n) => n.sid === numberSid)?.phoneNumber ?? `missing ${numberSid}`;

  const subaccounts = state.accounts
    .filter((account) => account.ownerAccountSid === mainAccountSid)
    .map((account) => {
      const sid = account.sid;
      const keys = state.keys.filter((k) => k.accountSid === sid);
      const apps = state.applications.filter((a) => a.accountSid === sid);
      const services = state.messagingServices.filter((s) => s.accountSid === sid);
      const record = recordOf(sid);
      const summary = registryItems.find((item) => item.key === sid)?.data as
        { friendlyName: string; status: string; numberCount: number } | undefined;
      const keyState = (ref: ApiKeyRef) => {
        const onTwilio = keys.find((k) => k.sid === ref.sid);
        if (!onTwilio) return 'missing on Twilio';
        try {
          return decryptSecret(registryKey, ref.secret, secretBinding(sid)) === onTwilio.secret
            ? 'decrypts'
            : 'wrong secret';
        } catch {
          return 'undecryptable';
        }
      };
      const recorded = new Set([record?.apiKey?.sid, ...(record?.retiringApiKeys ?? []).map((k) => k.sid)]);
      return {
        friendlyName: account.friendlyName,
        status: account.status,
        keys: keys.length,
        keysNotInRegistry: keys.filter((k) => !recorded.has(k.sid)).length,
        apps: apps.length,
        messagingServices: services.length,
        addresses: state.addresses.filter((a) => a.accountSid === sid).length,
        numbers: state.incomingPhoneNumbers
          .filter((n) => n.accountSid === sid)
          .map((n) => ({
            phoneNumber: n.phoneNumber,
            rings: n.voiceApplicationSid === record?.twimlAppSid ? 'its App' : n.voiceApplicationSid,
            address:
              n.addressSid && state.addresses.some((a) => a.sid === n.addressSid && a.accountSid === sid)
                ? 'its own'
                : n.addressSid,
            inMessagingService: state.messagingPhoneNumbers.some(
              (m) => m.sid === n.sid && services.some((s) => s.sid === m.serviceSid),
            ),
          }))
          .sort((a, b) => a.phoneNumber.localeCompare(b.phoneNumber)),
        calls: state.calls
          .filter((c) => c.accountSid === sid)
          .map((c) => `${c.from}>${c.to}:${c.status}`)
          .sort(),
        /** The directory's summary: what list and the sweeps page through. */
        directory: summary && {
          friendlyName: summary.friendlyName,
          status: summary.status,
          numberCount: summary.numberCount,
        },
        registry: record && {
          friendlyName: record.friendlyName,
          status: record.status,
          apiKey: record.apiKey && keyState(record.apiKey),
          retiringApiKeys: record.retiringApiKeys.map(keyState),
          /** Replaced keys past their time that should have been deleted. */
          retiringApiKeysDue: record.retiringApiKeys.filter((k) => Date.parse(k.retireAfter) <= now.getTime())
            .length,
          twimlApp: apps.some((a) => a.sid === record.twimlAppSid) ? 'exists' : record.twimlAppSid,
          messagingService: services.some((s) => s.sid === record.messagingServiceSid)
            ? 'exists'
            : record.messagingServiceSid,
          numbers: record.numbers.map((n) => `${n.phoneNumber} ${phoneOf(n.sid)}`).sort(),
          callerId: record.callerId,
          inboundRouting: record.inboundRouting,
          allowedCountries: record.allowedCountries,
          blockedNumberTypes: record.blockedNumberTypes,
          recording: record.recording,
        },
      };
    })
    .sort((a, b) => a.friendlyName.localeCompare(b.friendlyName) || a.status.localeCompare(b.status));

  // Subaccount Maps are named by SID, which differ from run to run: counted together. Operation records
  // are left out: one whose completion failed lapses by itself (OPERATION_LEASE_MS), and blocks nothing
  // after.
  const itemsPerMap: Record<string, number> = {};
  for (const item of state.syncMapItems.filter((i) => i.key !== OPERATION_ITEM)) {
    const name = mapName(item.mapSid).startsWith(tenantMapName(''))
      ? tenantMapName('*')
      : mapName(item.mapSid);
    itemsPerMap[name] = (itemsPerMap[name] ?? 0) + 1;
  }

  return {
    mainAccountNumbers: state.incomingPhoneNumbers
      .filter((n) => n.accountSid === mainAccountSid)
      .map((n) => `${n.phoneNumber} rings ${n.voiceApplicationSid ?? 'nothing'}`)
      .sort(),
    subaccounts,
    registryItemsNotSubaccounts: registryItems.filter(
      (item) => !state.accounts.some((a) => a.sid === item.key && a.ownerAccountSid === mainAccountSid),
    ).length,
    // In name order: which map got its first item first depends on where a fault struck.
    itemsPerMap: Object.fromEntries(Object.entries(itemsPerMap).sort(([a], [b]) => a.localeCompare(b))),
  };
}
