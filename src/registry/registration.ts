/**
 * A new subaccount's registry items written a stage at a time, without reading them first: `create`
 * knows what it wrote, so each write is one request with the right verb (create for an item not yet
 * written, replace with the revision it left for one it wrote), which keeps create's critical path
 * short. An item found already there (a retry of a create cut short) is read and replaced: that costs
 * the retry one more round trip, never the first attempt.
 *
 * Order is the caller's: the `account` item is the commit point of a record (subaccount-registry.ts),
 * so the final one is written after the number items and the summary.
 */
import { ServiceError } from '../errors/service-error';
import { nextVersion } from './item-seal';
import { ACCOUNT_ITEM, assembleRecord, numberItemKey, type RecordItems } from './layout';
import type { SyncMapStore, StoredItem, WriteVersion } from './sync-map-store';
import type { SubaccountRecord } from './types';

export class Registration {
  private summaryRevision: string | undefined;
  private accountRevision: string | undefined;
  private readonly numbersWritten = new Set<string>();
  /**
   * The version the `account` item is written at, recorded in the summary first (item-seal.ts): an
   * `account` item older than its summary's is a restored copy, and refused.
   */
  private readonly accountVersion: number;

  constructor(
    readonly sid: string,
    private readonly directory: SyncMapStore<object>,
    private readonly map: SyncMapStore<object>,
    private readonly itemsOf: (record: SubaccountRecord) => RecordItems,
    private readonly written: () => void,
    /** The record as a retry found it: its `account` item is replaced, not created. */
    found?: StoredItem<SubaccountRecord>,
  ) {
    this.accountRevision = found?.revision;
    this.accountVersion = nextVersion(Date.now(), found?.version);
    for (const number of found?.data.numbers ?? []) this.numbersWritten.add(number.phoneNumber);
  }

  /** Creates the subaccount's Map, so that each of its items is then created in one request. */
  async createMap(): Promise<void> {
    await this.map.createMap();
  }

  /** The directory summary of `record`. */
  async writeSummary(record: SubaccountRecord): Promise<void> {
    const { summary } = this.itemsOf(record);
    this.summaryRevision = await this.put(
      this.directory,
      this.sid,
      { ...summary, accountVersion: this.accountVersion },
      this.summaryRevision,
    );
  }

  /** The number items of `record` not yet written. */
  async writeNumbers(record: SubaccountRecord): Promise<void> {
    const { numbers } = this.itemsOf(record);
    const fresh = numbers.filter((number) => !this.numbersWritten.has(number.phoneNumber));
    await Promise.all(
      fresh.map(async (number) => {
        await this.put(this.map, numberItemKey(number.phoneNumber), number, undefined);
        this.numbersWritten.add(number.phoneNumber);
      }),
    );
  }

  /** The `account` item of `record`: the record as list, get and the hot paths see it. */
  async writeAccount(record: SubaccountRecord): Promise<StoredItem<SubaccountRecord>> {
    const items = this.itemsOf(record);
    const version = { version: this.accountVersion };
    this.accountRevision = await this.put(
      this.map,
      ACCOUNT_ITEM,
      items.account,
      this.accountRevision,
      version,
    );
    return {
      key: this.sid,
      data: assembleRecord(items.account, items.numbers),
      revision: this.accountRevision,
      version: this.accountVersion,
    };
  }

  private async put(
    store: SyncMapStore<object>,
    key: string,
    data: object,
    revision: string | undefined,
    version?: WriteVersion,
  ): Promise<string> {
    try {
      if (revision !== undefined) return (await store.replace(key, revision, data, version)).revision;
      try {
        return (await store.create(key, data, undefined, version)).revision;
      } catch (error) {
        if (!(error instanceof ServiceError && error.code === 'item_exists')) throw error;
        return (await store.update(key, () => data)).revision;
      }
    } finally {
      this.written();
    }
  }
}
