import pLimit from 'p-limit';
import type { Twilio } from 'twilio';
import type { KeyRing } from '../config/key-ring';
import { ServiceError, conflict } from '../errors/service-error';
import {
  ACCOUNT_ITEM,
  DIRECTORY_MAP,
  OPERATION_ITEM,
  assembleRecord,
  itemName,
  numberItemKey,
  recordedVersion,
  splitRecord,
  tenantMapName,
  type RecordItems,
} from './layout';
import {
  accountItemSchema,
  directoryItemSchema,
  invalidItem,
  numberItemSchema,
  parseItem,
  requireItemFits,
  type AccountItem,
  type DirectoryItem,
  type NumberItem,
} from './schema';
import type { SummarySeal } from './item-integrity';
import { nextVersion } from './item-seal';
import { Registration } from './registration';
import { SyncMapStore, type InvalidItem, type StoredItem } from './sync-map-store';
import {
  checkedAccount,
  checkedNumber,
  readTenantAccount,
  readTenantNumber,
  type TenantAccount,
} from './tenant-reads';
import type { SubaccountRecord } from './types';

/** Sync's largest page of Map items. */
const SYNC_PAGE_SIZE = 100;
/** Item requests in flight at once within one registry call (each on its own or a tenant's Map). */
const ITEM_CONCURRENCY = 10;
/**
 * Records read at once for a page of them (`itemsAfter`): each read is one request on another
 * subaccount's Map, so Sync's per-object rate does not enter; what bounds it is Twilio's concurrency
 * per account (error 20429, see admin/check/check.ts), of which this takes a quarter. A `list`
 * page of 100 is then 1 + 4 round trips.
 */
const PAGE_READ_CONCURRENCY = 25;
const MAX_UPDATE_ATTEMPTS = 4;

export type { TenantAccount };

/**
 * The subaccount registry over the layout of layout.ts. Admin code uses it like one Map of whole
 * records (get / create / replace / update / itemsAfter / remove, with the `account` item's revision);
 * the hot paths use `readAccount` and `readNumber`, one item each. Every item read is validated
 * (schema.ts) and every item written is validated and size-checked first.
 *
 * Limits: reads of a subaccount's record list its own Map (one request per 100 numbers); a write
 * lists it once, writes the directory summary only when it changes (name, status, number count), then
 * the number items that differ, then the `account` item (revision-checked: the commit point), so
 * routine writes and operation records never touch the shared directory Map. A throttled request (429) is
 * retried by the Twilio client (request-client.ts: 3 retries, full-jitter backoff of at most 1.4 s in
 * all), which keeps a chain of registry requests within a Function's 10 s; past that the caller
 * answers 503 (`twilio_rate_limited`), or the apology on /voice.
 * A write makes one request per number item it changes, at most ITEM_CONCURRENCY at once, all on the
 * subaccount's Map: Sync's 20 writes/s per Map with its 10 s burst window is what bounds one call, so
 * changing the routing of a few hundred numbers at once may be throttled into a 503; such a change
 * goes in batches (the items already written stay, and the same call again writes the rest).
 */
export class SubaccountRegistry {
  private readonly directory: SyncMapStore<object>;

  constructor(
    private readonly twilio: () => Twilio,
    private readonly serviceSid: string,
    /** REGISTRY_ENCRYPTION_KEY's keys: items are sealed and secrets encrypted under the newest. */
    private readonly keys: KeyRing<Buffer>,
    /** Told after every write of a subaccount's items (done or cut short), e.g. to drop cached copies. */
    private readonly written: (sid: string) => void = () => undefined,
    /** Shown every `account` item read and validated, e.g. to learn a connected account's credentials. */
    private readonly read: (account: AccountItem) => void = () => undefined,
    /**
     * Told when a write of a subaccount's items fails, maybe part way (its summary ahead of its
     * `account` item): the caller's operation record must then stay unfinished (`assembled`).
     */
    private readonly cutShort: (sid: string) => void = () => undefined,
  ) {
    this.directory = new SyncMapStore<object>(twilio, serviceSid, DIRECTORY_MAP, keys);
  }

  /**
   * The record; `summary`: its directory summary when the caller has read it (a page of them, or
   * `check`), against which the `account` item's version is checked (a restored copy is refused).
   * Without it, one read of the subaccount's own Map and none of the shared directory: writes
   * (`update`, `replace`) read the summary and check it before anything is written.
   */
  async get(sid: string, summary?: StoredItem<object>): Promise<StoredItem<SubaccountRecord> | undefined> {
    return (await this.getWithOperation(sid, summary)).stored;
  }

  /**
   * The record and, from the same read, the `operation` item of its lifecycle changes as stored (if
   * any), which admin/operations/ validates and writes. With its directory summary (`summary`), an
   * `account` item older than the version the summary records is refused (`assembled`).
   */
  async getWithOperation(
    sid: string,
    summary?: StoredItem<object>,
  ): Promise<{ stored?: StoredItem<SubaccountRecord>; operation?: StoredItem<object> }> {
    const all = await this.allTenantItems(sid);
    const operation = all.find((item) => item.key === OPERATION_ITEM);
    const items = all.filter((item) => item !== operation);
    const account = items.find((item) => item.key === ACCOUNT_ITEM);
    // No `account` item: not registered, or a create cut short before its commit (its retry finishes it).
    const stored = account
      ? this.assembled(sid, account, items, summary, isUnfinished(operation))
      : undefined;
    return { stored, ...(operation ? { operation } : {}) };
  }

  /** Creates the record; 409 `item_exists` when it exists already (creation is a claim). */
  async create(sid: string, record: SubaccountRecord): Promise<StoredItem<SubaccountRecord>> {
    return this.writing(sid, () => this.createItems(sid, record));
  }

  private async createItems(sid: string, record: SubaccountRecord): Promise<StoredItem<SubaccountRecord>> {
    const items = this.itemsOf(sid, record);
    const tenant = this.tenantMap(sid);
    const version = nextVersion(Date.now());
    // Numbers and summary first, the `account` item last: until it exists the subaccount is not
    // registered (a summary without it is an interrupted create, passed over), and a retry overwrites
    // what it finds.
    await Promise.all([
      this.putNumbers(sid, items.numbers, new Map()),
      this.putSummary(sid, { ...items.summary, accountVersion: version }),
    ]);
    const account = await tenant.create(ACCOUNT_ITEM, items.account, undefined, { version });
    return {
      key: sid,
      data: assembleRecord(items.account, items.numbers),
      revision: account.revision,
      version,
    };
  }

  /** Replaces the record if it is still at `revision`; 409 `revision_conflict` otherwise. */
  async replace(
    sid: string,
    revision: string,
    record: SubaccountRecord,
  ): Promise<StoredItem<SubaccountRecord>> {
    return this.writing(sid, () => this.replaceItems(sid, revision, record));
  }

  private async replaceItems(
    sid: string,
    revision: string,
    record: SubaccountRecord,
  ): Promise<StoredItem<SubaccountRecord>> {
    const items = this.itemsOf(sid, record);
    const [listed, summary] = await Promise.all([this.tenantItems(sid), this.directory.get(sid)]);
    return this.writeOver(sid, revision, items, listed, summary);
  }

  /**
   * Read, change, write; when another writer got in between, read again and re-apply the change, so a
   * change is never lost and never applied to a stale copy. `change` must be a pure function of its
   * input; when it returns its input unchanged, nothing is written.
   */
  async update(
    sid: string,
    change: (current: SubaccountRecord) => SubaccountRecord,
  ): Promise<StoredItem<SubaccountRecord>> {
    return this.writing(sid, () => this.updateItems(sid, change));
  }

  private async updateItems(
    sid: string,
    change: (current: SubaccountRecord) => SubaccountRecord,
  ): Promise<StoredItem<SubaccountRecord>> {
    for (let attempt = 1; ; attempt++) {
      const [all, summary] = await Promise.all([this.allTenantItems(sid), this.directory.get(sid)]);
      const operation = all.find((item) => item.key === OPERATION_ITEM);
      const listed = all.filter((item) => item !== operation);
      const account = listed.find((item) => item.key === ACCOUNT_ITEM);
      const current = account && this.assembled(sid, account, listed, summary, isUnfinished(operation));
      if (!current) throw new ServiceError(404, 'not_found', `${sid} is not in the registry.`, { key: sid });
      const next = change(current.data);
      if (next === current.data) return current;
      try {
        return await this.writeOver(sid, current.revision, this.itemsOf(sid, next), listed, summary);
      } catch (error) {
        const lostRace = error instanceof ServiceError && error.code === 'revision_conflict';
        if (!lostRace || attempt >= MAX_UPDATE_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * The writer of a new subaccount's items, one stage at a time (registration.ts): `create`'s path.
   * `found` is the record a retry found, if any.
   */
  registration(sid: string, found?: StoredItem<SubaccountRecord>): Registration {
    return new Registration(
      sid,
      this.directory,
      this.tenantMap(sid),
      (record) => this.itemsOf(sid, record),
      () => this.written(sid),
      found,
    );
  }

  /**
   * True for a record whose number items are still keyed by the raw number (layout.ts
   * `numberItemKey`): `check` reports it, and its repair writes the record, which moves them.
   */
  isPreviousLayout(stored: StoredItem<SubaccountRecord>): boolean {
    return rawNumberKeys.has(stored.data);
  }

  /** Forgets the subaccount: its directory summary, then its Map with every item. */
  async remove(sid: string): Promise<void> {
    await this.writing(sid, async () => {
      await this.directory.remove(sid);
      await this.tenantMap(sid).removeMap();
    });
  }

  private async writing<R>(sid: string, write: () => Promise<R>): Promise<R> {
    try {
      return await write();
    } finally {
      this.written(sid);
    }
  }

  /**
   * Up to `pageSize` whole records in SID order after `afterKey` (the directory's order), each read
   * from its own Map (at most PAGE_READ_CONCURRENCY at once). For admin paging; `summariesAfter` is the
   * cheap form when a summary is enough.
   */
  async itemsAfter(
    afterKey: string | undefined,
    pageSize: number,
  ): Promise<{ items: StoredItem<SubaccountRecord>[]; more: boolean }> {
    const page = await this.directory.itemsAfter(afterKey, pageSize);
    const [invalid] = page.invalid;
    if (invalid) throw invalidItem(invalid.item, invalid.reason);
    for (const item of page.items) this.summaryIn(item);
    const read = await runAll(page.items, (item) => this.get(item.key, item), PAGE_READ_CONCURRENCY);
    // Summaries of creates cut short (no `account` item yet) are passed over until their retry.
    return { items: read.filter((item) => item !== undefined), more: page.more };
  }

  /** How the subaccount's directory summary verifies, and it when it does (for `check`; one read). */
  async summarySeal(sid: string): Promise<SummarySeal & { item?: StoredItem<object> }> {
    const held = await this.directory.inspect(sid);
    if (!held || held.fault || held.version === undefined) return held?.fault ? { fault: held.fault } : {};
    const item = { key: held.key, data: held.data, revision: held.revision, version: held.version };
    return { kid: held.kid, item };
  }

  /**
   * Up to `pageSize` directory summaries in SID order after `afterKey`: one request. Summaries that do
   * not verify or do not parse are set apart in `invalid`, so a sweep reports them and goes on.
   */
  async summariesAfter(
    afterKey: string | undefined,
    pageSize: number,
  ): Promise<{ items: StoredItem<DirectoryItem>[]; invalid: InvalidItem[]; more: boolean }> {
    const page = await this.directory.itemsAfter(afterKey, pageSize);
    const items: StoredItem<DirectoryItem>[] = [];
    const invalid = [...page.invalid];
    for (const item of page.items) {
      try {
        items.push({ ...item, data: this.summaryIn(item) });
      } catch (error) {
        if (!(error instanceof ServiceError && error.code === 'registry_item_invalid')) throw error;
        const name = itemName(DIRECTORY_MAP, item.key);
        invalid.push({ key: item.key, item: name, fault: 'malformed', reason: error.message });
      }
    }
    return { items, invalid, more: page.more };
  }

  /**
   * The hot paths' read of a subaccount: its `account` item alone (one request on the subaccount's own
   * Map), or undefined when it has none. Never the shared directory.
   */
  async readAccount(sid: string): Promise<TenantAccount | undefined> {
    return readTenantAccount(this.tenantMap(sid), sid, this.read);
  }

  /** The item of one number of the subaccount (its routing), or null when it holds no such number. */
  async readNumber(sid: string, phoneNumber: string): Promise<NumberItem | null> {
    return readTenantNumber(this.tenantMap(sid), sid, phoneNumber);
  }

  /**
   * Writes a record over what its Map holds (`listed`), if its `account` item is still at `revision`:
   * the directory summary when it differs from the one the directory holds (`summary`, read beside the
   * Map: a write cut short can leave it ahead of or behind its record, and the next write mends it),
   * the number items that differ, then the `account` item.
   */
  private async writeOver(
    sid: string,
    revision: string,
    items: RecordItems,
    listed: readonly StoredItem<object>[],
    summary: StoredItem<object> | undefined,
  ): Promise<StoredItem<SubaccountRecord>> {
    const account = listed.find((item) => item.key === ACCOUNT_ITEM);
    if (!account) throw new ServiceError(404, 'not_found', `${sid} is not in the registry.`, { key: sid });
    if (account.revision !== revision) throw changedMeanwhile(sid);
    const version = nextVersion(Date.now(), account.version, recordedVersion(summary?.data));
    // The `account` item last: it is the commit point (revision-checked). A write cut short before it
    // leaves the summary and numbers ahead, and the caller's retry (which reads the record as it was,
    // so redoes its change) finishes it; the reverse order would let a retry that finds its change
    // committed skip the rest for good.
    // The summary and the number items together: each is one request with the right verb (a summary
    // read is replaced at its revision, not created first), so the write is two round trips. The
    // summary records the version of the `account` item written with it, at every write, also one that
    // changes none of the summary's other fields (a token copy replaced, a key rotated): otherwise the
    // copy that write replaced would still match the summary, and put back it would be served again. So
    // each registry write is one write to the shared directory Map too, beside the numbers (no extra
    // round trip); registry writes are admin changes and token rotations noticed, far below Sync's 20
    // writes per second per object (https://www.twilio.com/docs/sync/limits).
    // A restored older copy of the item is then older than its summary, and refused (`assembled`).
    const held = new Map(listed.filter((item) => item !== account).map((item) => [item.key, item]));
    const kept = new Set(items.numbers.map((number) => numberItemKey(number.phoneNumber)));
    try {
      return await this.writeItems(sid, revision, version, items, { account, summary, held, kept });
    } catch (error) {
      // Requests were sent: the summary may be ahead of the `account` item now.
      this.cutShort(sid);
      throw error;
    }
  }

  /** writeOver's requests: the summary, numbers and removals together, then the `account` item. */
  private async writeItems(
    sid: string,
    revision: string,
    version: number,
    items: RecordItems,
    read: {
      account: StoredItem<object>;
      summary: StoredItem<object> | undefined;
      held: Map<string, StoredItem<object>>;
      kept: Set<string>;
    },
  ): Promise<StoredItem<SubaccountRecord>> {
    const { account, summary, held, kept } = read;
    await Promise.all([
      this.putSummary(
        sid,
        { ...items.summary, accountVersion: version, priorAccountVersion: account.version },
        summary,
      ),
      this.putNumbers(sid, items.numbers, held),
      runAll(
        [...held.keys()].filter((key) => !kept.has(key)),
        (key) => this.tenantMap(sid).remove(key),
      ),
    ]);
    const written = await this.tenantMap(sid)
      .replace(ACCOUNT_ITEM, revision, items.account, { version })
      .catch((error: unknown) => {
        if (error instanceof ServiceError && error.code === 'revision_conflict') throw changedMeanwhile(sid);
        throw error;
      });
    return {
      key: sid,
      data: assembleRecord(items.account, items.numbers),
      revision: written.revision,
      version: written.version,
    };
  }

  private tenantMap(sid: string): SyncMapStore<object> {
    return new SyncMapStore<object>(this.twilio, this.serviceSid, tenantMapName(sid), this.keys);
  }

  /** The record's items in the subaccount's Map (all but the operation record), page after page; none without a Map. */
  private async tenantItems(sid: string): Promise<StoredItem<object>[]> {
    return (await this.allTenantItems(sid)).filter((item) => item.key !== OPERATION_ITEM);
  }

  private async allTenantItems(sid: string): Promise<StoredItem<object>[]> {
    const map = this.tenantMap(sid);
    const items: StoredItem<object>[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await map.itemsAfter(after, SYNC_PAGE_SIZE);
      // One item of a subaccount that does not verify refuses the whole subaccount: fail closed.
      const [invalid] = page.invalid;
      if (invalid) throw invalidItem(invalid.item, invalid.reason);
      items.push(...page.items);
      after = page.items.at(-1)?.key;
      if (!page.more || after === undefined) return items;
    }
  }

  /**
   * The record from its items, refused when its `account` item is older than the version its directory
   * summary recorded (`summary`, read beside it): a copy of an earlier write put back. A write cut short
   * between the summary and the `account` item leaves the same state: under the subaccount's operation
   * record, which stays unfinished after it (admin/operations/store.ts `giveUp`), the retry finishes it;
   * otherwise it waits for an operator (`check`, docs/registry-integrity.md).
   */
  private assembled(
    sid: string,
    account: StoredItem<object>,
    items: readonly StoredItem<object>[],
    summary: StoredItem<object> | undefined,
    operationUnfinished = false,
  ): StoredItem<SubaccountRecord> {
    const recorded = recordedVersion(summary?.data);
    const prior = (summary?.data as Partial<DirectoryItem> | undefined)?.priorAccountVersion;
    // The summary is written before the `account` item (the commit point): an item still at the version
    // that write replaced, under an operation that has not finished, is that write cut short, and the
    // operation's retry finishes it. Anything else older than the summary is a restored copy.
    const cutShort = operationUnfinished && account.version === prior;
    if (recorded !== undefined && account.version < recorded && !cutShort) {
      throw invalidItem(
        itemName(tenantMapName(sid), ACCOUNT_ITEM),
        `its version ${account.version} is older than the ${recorded} its directory summary records: a restored copy, or a write cut short`,
      );
    }
    const numbers = items.filter((item) => item !== account).map((item) => this.parseNumber(sid, item));
    const data = assembleRecord(this.parseAccount(sid, account.data), numbers);
    if (items.some((item) => item.key.startsWith('+'))) rawNumberKeys.add(data);
    return {
      key: sid,
      data,
      revision: account.revision,
      version: account.version,
    };
  }

  private parseAccount(sid: string, data: unknown): AccountItem {
    const account = checkedAccount(sid, data);
    this.read(account);
    return account;
  }

  private parseNumber(sid: string, item: StoredItem<object>): NumberItem {
    return checkedNumber(sid, item);
  }

  private summaryIn(item: StoredItem<object>): DirectoryItem {
    const name = itemName(DIRECTORY_MAP, item.key);
    return parseItem(directoryItemSchema, item.data, name, (summary) => summary.sid === item.key);
  }

  /** The items of a record, each validated and checked against Sync's item size before any write. */
  private itemsOf(sid: string, record: SubaccountRecord): RecordItems {
    if (record.sid !== sid)
      throw invalidItem(itemName(tenantMapName(sid), ACCOUNT_ITEM), `it names ${record.sid}`);
    const items = splitRecord(record);
    const map = tenantMapName(sid);
    const account = parseItem(accountItemSchema, items.account, itemName(map, ACCOUNT_ITEM), () => true);
    requireItemFits(itemName(map, ACCOUNT_ITEM), account);
    for (const number of items.numbers) {
      const name = itemName(map, numberItemKey(number.phoneNumber));
      parseItem(numberItemSchema, number, name, () => true);
      requireItemFits(name, number);
    }
    return { ...items, account };
  }

  /** Writes the number items that differ from what the Map holds (`held`, by key). */
  private async putNumbers(
    sid: string,
    numbers: readonly NumberItem[],
    held: ReadonlyMap<string, StoredItem<object>>,
  ): Promise<void> {
    const map = this.tenantMap(sid);
    await runAll(numbers, async (number) => {
      const key = numberItemKey(number.phoneNumber);
      const current = held.get(key);
      if (
        current &&
        JSON.stringify(current.data) === JSON.stringify(number) &&
        current.kid === this.keys[0].id
      ) {
        return;
      }
      if (current) await map.replace(key, current.revision, number, { after: [current.version] });
      else await upsert(map, key, number);
    });
  }

  /** Writes the summary: over `current` (as read) at its revision, or created when none was read. */
  private async putSummary(sid: string, summary: DirectoryItem, current?: StoredItem<object>): Promise<void> {
    if (!current) return upsert(this.directory, sid, summary);
    await this.directory.replace(sid, current.revision, summary).catch((error: unknown) => {
      // Changed since it was read (a write cut short being mended): written over whatever it holds now.
      if (!(error instanceof ServiceError && error.code === 'revision_conflict')) throw error;
      return this.directory.update(sid, () => summary);
    });
  }
}

/** Records read from number items keyed by the raw number, to be moved by their next write. */
const rawNumberKeys = new WeakSet<SubaccountRecord>();

function changedMeanwhile(sid: string): ServiceError {
  return conflict('revision_conflict', `${sid} was changed by someone else; read it again.`, { key: sid });
}

/**
 * An operation record still in progress that says a write under it may be cut short (see `assembled`;
 * admin/operations/record.ts `unfinishedWrite`): one merely in progress is a change under way, whose own
 * writes must still refuse a restored copy.
 */
function isUnfinished(operation: StoredItem<object> | undefined): boolean {
  const record = operation?.data as { status?: unknown; unfinishedWrite?: unknown } | undefined;
  return record?.status === 'in_progress' && record.unfinishedWrite === true;
}

/** Creates the item, or replaces it when it exists (whatever it held). */
async function upsert(store: SyncMapStore<object>, key: string, data: object): Promise<void> {
  try {
    await store.create(key, data);
  } catch (error) {
    if (!(error instanceof ServiceError && error.code === 'item_exists')) throw error;
    await store.update(key, () => data);
  }
}

async function runAll<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  concurrency = ITEM_CONCURRENCY,
): Promise<R[]> {
  const limit = pLimit(concurrency);
  return Promise.all(items.map((item) => limit(() => work(item))));
}
