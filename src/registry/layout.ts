/**
 * How the registry sits in Sync, and why. Sync allows 20 reads and 20 writes per second per object,
 * an item counting on its Map, with a 10 s burst window (https://www.twilio.com/docs/sync/limits), and
 * at most 16 KiB per item (54006). So:
 * - the directory Map `subaccounts` holds one small summary per subaccount (DirectoryItem), read only
 *   by admin paging (list, the sweeps of check and usage);
 * - each subaccount has a Map of its own, `subaccount-<SID>`, holding its `account` item (the bounded
 *   core: status, keys, App, caller ID, flags, receipts), its `operation` item (the lifecycle change
 *   under way or last done: admin/operations/) and one item per number (key: `numberItemKey`, with the identities routed to it). The hot paths read only the tenant's own Map (see
 *   tenant-cache.ts), so no object is shared between tenants, and no item grows with the numbers.
 * Admin code sees one assembled `SubaccountRecord` whose revision is the `account` item's.
 */
import { countryOfNumber } from '../toll-fraud/destination-guard';
import type { SubaccountRecord } from './types';
import type { AccountItem, DirectoryItem, NumberItem } from './schema';

/** Version of the items this layout writes (schema.ts validates them). */
export const REGISTRY_SCHEMA_VERSION = 2 as const;

/** The directory Map's unique name. */
export const DIRECTORY_MAP = 'subaccounts';
export const ACCOUNT_ITEM = 'account';
/**
 * The operation record of the subaccount's lifecycle changes (admin/operations/record.ts), beside the
 * `account` item: its own item, so taking it does not change the record's revision.
 */
export const OPERATION_ITEM = 'operation';

export const tenantMapName = (subaccountSid: string): string => `subaccount-${subaccountSid}`;

/**
 * The key of a number's item: `n` and the E.164 number's digits (`+14155550100` -> `n14155550100`).
 * The key travels in the item's URL path, and a raw `+` there may be read as a space: Twilio documents
 * no character rule for Map Item keys (sandbox/resources/sync.ts says what is known), so the key holds
 * only characters every reading agrees on. Items under the raw number (`+...`) are still read, and
 * rewritten under this key by the next write of the record (`check` with repair makes one).
 */
export const numberItemKey = (phoneNumber: string): string => `n${phoneNumber.replace(/^\+/, '')}`;

/** Whether `key` is the item key of `phoneNumber`, as written now or under the raw number. */
export const isNumberKeyOf = (key: string, phoneNumber: string): boolean =>
  key === numberItemKey(phoneNumber) || key === phoneNumber;

/** `map/key` of an item, as errors and logs name it. */
export const itemName = (map: string, key: string): string => `${map}/${key}`;

/**
 * The additional data a secret of the subaccount is encrypted with: the subaccount SID and the item
 * that holds it, so a secret copied into another subaccount's item, or into another item, does not
 * decrypt.
 */
export const secretBinding = (subaccountSid: string): string =>
  itemName(tenantMapName(subaccountSid), ACCOUNT_ITEM);

/**
 * The additional data of the auth token kept in the `account` item: its item and field, so neither the
 * token nor a key secret of the same item can be passed off as the other.
 */
export const authTokenBinding = (subaccountSid: string): string =>
  `${secretBinding(subaccountSid)}#authToken`;

/**
 * A record's parts: what goes into the `account` item, the number items (those held, and those away
 * with their routing kept), and the directory summary.
 */
export interface RecordItems {
  account: AccountItem;
  numbers: NumberItem[];
  summary: DirectoryItem;
}

export function splitRecord(record: SubaccountRecord): RecordItems {
  const { numbers, inboundRouting, awayRouting = [], ...core } = record;
  // Worked out from callerId at each write, where admin code writes, rather than on the hot paths
  // (schema.ts `callerCountry`); a record never carries it (assembleRecord leaves it out).
  const callerCountry = record.callerId ? countryOfNumber(record.callerId) : undefined;
  const account: AccountItem = {
    ...core,
    ...(callerCountry ? { callerCountry } : {}),
    schema: REGISTRY_SCHEMA_VERSION,
  };
  const held = new Set(numbers.map((number) => number.phoneNumber));
  return {
    account,
    numbers: [
      ...numbers.map((number) => {
        const identities = Object.hasOwn(inboundRouting, number.phoneNumber)
          ? inboundRouting[number.phoneNumber]
          : undefined;
        return {
          schema: REGISTRY_SCHEMA_VERSION,
          sid: number.sid,
          phoneNumber: number.phoneNumber,
          ...(identities ? { identities: [...identities] } : {}),
        };
      }),
      // A number away keeps its item, marked `leftAt`; one held again is a number item like any other.
      ...awayRouting
        .filter((away) => !held.has(away.phoneNumber))
        .map(({ sid, phoneNumber, identities, leftAt }) => ({
          schema: REGISTRY_SCHEMA_VERSION,
          sid,
          phoneNumber,
          identities: [...identities],
          leftAt,
        })),
    ],
    summary: summaryOf(record),
  };
}

/**
 * The `account` item version a directory summary records (`accountVersion`, written with every write of
 * the `account` item), if any: the floor below which an `account` item is a restored copy.
 */
export function recordedVersion(summary: object | undefined): number | undefined {
  const recorded = (summary as Partial<DirectoryItem> | undefined)?.accountVersion;
  return typeof recorded === 'number' ? recorded : undefined;
}

export function summaryOf(
  record: Pick<SubaccountRecord, 'sid' | 'friendlyName' | 'status' | 'createdAt' | 'deletedAt' | 'kind'> & {
    numbers: readonly unknown[];
  },
): DirectoryItem {
  return {
    schema: REGISTRY_SCHEMA_VERSION,
    sid: record.sid,
    friendlyName: record.friendlyName,
    status: record.status,
    numberCount: record.numbers.length,
    createdAt: record.createdAt,
    ...(record.deletedAt ? { deletedAt: record.deletedAt } : {}),
    ...(record.kind === 'connected' ? { kind: 'connected' as const } : {}),
  };
}

/** The record admin code works with, from the `account` item and the number items. */
export function assembleRecord(account: AccountItem, items: readonly NumberItem[]): SubaccountRecord {
  const { schema: _schema, callerCountry: _derived, ...core } = account;
  const numbers = items.filter((number) => number.leftAt === undefined);
  const awayRouting = items
    .flatMap(({ sid, phoneNumber, identities, leftAt }) =>
      leftAt === undefined ? [] : [{ sid, phoneNumber, identities: [...(identities ?? [])], leftAt }],
    )
    .sort((a, b) => b.leftAt.localeCompare(a.leftAt));
  const inboundRouting: Record<string, string[]> = {};
  for (const number of numbers) {
    if (number.identities) inboundRouting[number.phoneNumber] = [...number.identities];
  }
  return {
    ...(core as Omit<SubaccountRecord, 'numbers' | 'inboundRouting'>),
    numbers: numbers.map(({ sid, phoneNumber }) => ({ sid, phoneNumber })),
    inboundRouting,
    ...(awayRouting.length > 0 ? { awayRouting } : {}),
  };
}
