import type { Twilio } from 'twilio';
import type { KeyRing } from '../config/key-ring';
import { ServiceError, conflict } from '../errors/service-error';
import { fromTwilioError, isTwilioNotFound, isTwilioRestError } from '../twilio/rest-errors';
import { describeFault, nextVersion, openItem, sealItem, type SealFault } from './item-seal';
import { invalidItem } from './item-errors';
import { fetchMapItem, fetchMapItemsPage } from './sync-reads';

export interface StoredItem<T> {
  key: string;
  data: T;
  /** Sync revision the item was read at: writes name it so nobody overwrites a newer write unseen. */
  revision: string;
  /** The version its MAC covers (item-seal.ts): a write replacing it writes a greater one. */
  version: number;
  /** Id of the key its MAC was made with, when read (written items are under the newest). */
  kid?: string;
}

/** An item whose MAC does not verify: never handed to the service's logic, only named. */
export interface InvalidItem {
  key: string;
  /** `map/key`, as errors and `check` name it. */
  item: string;
  fault: SealFault;
  reason: string;
}

/** An item as Sync holds it, verified or not: for `check`, which reports and (when told) re-signs. */
export interface InspectedItem {
  key: string;
  revision: string;
  /** The data without its seal, whether or not the seal verifies. */
  data: object;
  /** Set when the seal verifies. */
  version?: number;
  kid?: string;
  fault?: SealFault;
}

/** How a write picks its version: at least `after` + 1 (the versions it must follow). */
export interface WriteVersion {
  after?: readonly (number | undefined)[];
  /** An exact version (the registry writes the `account` item at the one its summary recorded). */
  version?: number;
}

const MAX_UPDATE_ATTEMPTS = 4;

/**
 * JSON documents in one Sync Map of the main account, with Sync's optimistic concurrency: every write
 * states the revision it replaces (If-Match), so two admins never silently overwrite each other. The
 * map is created on first write.
 *
 * Every item written is sealed (item-seal.ts: a MAC over its Map, key, version and whole data, with a
 * key derived from REGISTRY_ENCRYPTION_KEY) and every item read is verified before anything sees it:
 * `get` refuses one that fails (500 `registry_item_invalid`, naming it), `itemsAfter` sets it apart in
 * `invalid` so a sweep reports it and goes on. Whatever a Map holds, its users get it for free.
 */
export class SyncMapStore<T extends object> {
  constructor(
    private readonly twilio: () => Twilio,
    private readonly serviceSid: string,
    private readonly mapName: string,
    /** REGISTRY_ENCRYPTION_KEY's keys (`config.registryKeys`): the newest seals, any listed one verifies. */
    private readonly keys: KeyRing<Buffer>,
  ) {}

  private map() {
    return this.twilio().sync.v1.services(this.serviceSid).syncMaps(this.mapName);
  }

  /** The verified item, undefined when there is none; 500 `registry_item_invalid` when it fails. */
  async get(key: string): Promise<StoredItem<T> | undefined> {
    const found = await this.inspect(key);
    return found && this.verified(found);
  }

  /** The item as Sync holds it, verified or not (for `check`); undefined when there is none. */
  async inspect(key: string): Promise<InspectedItem | undefined> {
    try {
      return this.opened(await fetchMapItem(this.twilio(), this.serviceSid, this.mapName, key));
    } catch (error) {
      if (isTwilioNotFound(error)) return undefined;
      throw fromTwilioError(error, `Reading ${this.mapName}/${key}`);
    }
  }

  /** `map/key` of one of its items. */
  nameOf(key: string): string {
    return `${this.mapName}/${key}`;
  }

  private opened(item: { key: string; data: unknown; revision: string }): InspectedItem {
    const opened = openItem(this.keys, this.mapName, item.key, item.data);
    return opened.ok
      ? {
          key: item.key,
          revision: item.revision,
          data: opened.data,
          version: opened.version,
          kid: opened.kid,
        }
      : { key: item.key, revision: item.revision, data: opened.data, fault: opened.fault };
  }

  private verified(item: InspectedItem): StoredItem<T> {
    if (item.version === undefined) {
      throw invalidItem(this.nameOf(item.key), describeFault(item.fault ?? 'malformed'));
    }
    return {
      key: item.key,
      data: item.data as T,
      revision: item.revision,
      version: item.version,
      ...(item.kid ? { kid: item.kid } : {}),
    };
  }

  private invalid(item: InspectedItem): InvalidItem {
    const fault = item.fault ?? 'malformed';
    return { key: item.key, item: this.nameOf(item.key), fault, reason: describeFault(fault) };
  }

  private sealed(key: string, data: object, version: WriteVersion = {}): { data: object; version: number } {
    const v = version.version ?? nextVersion(Date.now(), ...(version.after ?? []));
    return { data: sealItem(this.keys, this.mapName, key, data, v), version: v };
  }

  /**
   * Creates the item; 409 `item_exists` when it already exists (so creation is a claim). With
   * `ttlSeconds`, Sync deletes the item that long after this write.
   */
  async create(key: string, data: T, ttlSeconds?: number, version?: WriteVersion): Promise<StoredItem<T>> {
    const sealed = this.sealed(key, data, version);
    const attempt = () =>
      this.map().syncMapItems.create({
        key,
        data: sealed.data,
        ...(ttlSeconds ? { itemTtl: ttlSeconds } : {}),
      });
    try {
      const written = await this.withMap(attempt);
      return { key: written.key, data, revision: written.revision, version: sealed.version };
    } catch (error) {
      if (isTwilioRestError(error) && error.status === 409) {
        throw conflict('item_exists', `${this.mapName}/${key} already exists.`, { key });
      }
      throw fromTwilioError(error, `Creating ${this.mapName}/${key}`);
    }
  }

  /**
   * Replaces the item if it is still at `revision`; 409 `revision_conflict` otherwise. Its version
   * follows `version.after` (pass the replaced item's `version`).
   */
  async replace(key: string, revision: string, data: T, version?: WriteVersion): Promise<StoredItem<T>> {
    const sealed = this.sealed(key, data, version);
    try {
      const written = await this.map().syncMapItems(key).update({ data: sealed.data, ifMatch: revision });
      return { key: written.key, data, revision: written.revision, version: sealed.version };
    } catch (error) {
      if (isTwilioRestError(error) && error.status === 412) {
        throw conflict(
          'revision_conflict',
          `${this.mapName}/${key} was changed by someone else; read it again.`,
          {
            key,
          },
        );
      }
      throw fromTwilioError(error, `Writing ${this.mapName}/${key}`);
    }
  }

  /**
   * Read, change, write; when another writer got in between, read again and re-apply the change, so a
   * change is never lost and never applied to a stale copy. `change` must be a pure function of its input.
   */
  async update(key: string, change: (current: T) => T): Promise<StoredItem<T>> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(key);
      if (!current)
        throw new ServiceError(404, 'not_found', `${this.mapName}/${key} does not exist.`, { key });
      try {
        return await this.replace(key, current.revision, change(current.data), { after: [current.version] });
      } catch (error) {
        const lostRace = error instanceof ServiceError && error.code === 'revision_conflict';
        if (!lostRace || attempt >= MAX_UPDATE_ATTEMPTS) throw error;
      }
    }
  }

  /** Deletes the item (if still at `revision`, when given: 409 `revision_conflict` otherwise). */
  async remove(key: string, revision?: string): Promise<void> {
    try {
      await this.map()
        .syncMapItems(key)
        .remove(revision === undefined ? {} : { ifMatch: revision });
    } catch (error) {
      if (isTwilioNotFound(error)) return;
      if (isTwilioRestError(error) && error.status === 412) {
        throw conflict('revision_conflict', `${this.mapName}/${key} was changed by someone else.`, { key });
      }
      throw fromTwilioError(error, `Deleting ${this.mapName}/${key}`);
    }
  }

  /**
   * Up to `pageSize` items (Sync allows 100) in key order, starting after `afterKey` (at the first item
   * when undefined): paging by key, so a caller can resume after any item, not only at a page boundary.
   * `more` is false once Sync says no items follow. Items that do not verify are set apart in
   * `invalid` (named, their data withheld), so one of them never stops a page.
   */
  async itemsAfter(
    afterKey: string | undefined,
    pageSize: number,
  ): Promise<{ items: StoredItem<T>[]; invalid: InvalidItem[]; more: boolean }> {
    const page = await this.inspectAfter(afterKey, pageSize);
    const items: StoredItem<T>[] = [];
    const invalid: InvalidItem[] = [];
    for (const item of page.items) {
      if (item.version === undefined) invalid.push(this.invalid(item));
      else items.push(this.verified(item));
    }
    return { items, invalid, more: page.more };
  }

  /** A page as `itemsAfter` reads it, every item as Sync holds it, verified or not (for `check`). */
  async inspectAfter(
    afterKey: string | undefined,
    pageSize: number,
  ): Promise<{ items: InspectedItem[]; more: boolean }> {
    try {
      const page = await fetchMapItemsPage(this.twilio(), this.serviceSid, this.mapName, {
        pageSize,
        order: 'asc',
        ...(afterKey === undefined ? {} : { from: afterKey, bounds: 'exclusive' }),
      });
      return { items: page.items.map((item) => this.opened(item)), more: page.more };
    } catch (error) {
      if (isTwilioNotFound(error)) return { items: [], more: false };
      throw fromTwilioError(error, `Listing ${this.mapName}`);
    }
  }

  /** Deletes the whole map with its items; one already gone counts as deleted. */
  async removeMap(): Promise<void> {
    try {
      await this.twilio().sync.v1.services(this.serviceSid).syncMaps(this.mapName).remove();
    } catch (error) {
      if (!isTwilioNotFound(error)) throw fromTwilioError(error, `Deleting ${this.mapName}`);
    }
  }

  /** Runs a write; if the map does not exist yet, creates it once and runs the write again. */
  private async withMap<R>(write: () => Promise<R>): Promise<R> {
    try {
      return await write();
    } catch (error) {
      if (!isTwilioNotFound(error)) throw error;
      await this.createMap();
      return write();
    }
  }

  /** Creates the Map, so that its first items are created in one request each; one that exists is fine. */
  async createMap(): Promise<void> {
    try {
      await this.twilio().sync.v1.services(this.serviceSid).syncMaps.create({ uniqueName: this.mapName });
    } catch (error) {
      // Another request created it first: what we wanted.
      if (!(isTwilioRestError(error) && error.status === 409)) throw error;
    }
  }
}
