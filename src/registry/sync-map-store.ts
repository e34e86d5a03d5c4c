import type { Twilio } from 'twilio';
import { ServiceError, conflict } from '../errors/service-error';
import { fromTwilioError, isTwilioNotFound, isTwilioRestError } from '../twilio/rest-errors';

export interface StoredItem<T> {
  key: string;
  data: T;
  /** Sync revision the item was read at: writes name it so nobody overwrites a newer write unseen. */
  revision: string;
}

const MAX_UPDATE_ATTEMPTS = 4;

/**
 * JSON documents in one Sync Map of the main account, with Sync's optimistic concurrency: every write
 * states the revision it replaces (If-Match), so two admins never silently overwrite each other. The
 * map is created on first write.
 */
export class SyncMapStore<T extends object> {
  constructor(
    private readonly twilio: () => Twilio,
    private readonly serviceSid: string,
    private readonly mapName: string,
  ) {}

  private map() {
    return this.twilio().sync.v1.services(this.serviceSid).syncMaps(this.mapName);
  }

  async get(key: string): Promise<StoredItem<T> | undefined> {
    try {
      return toStored<T>(await this.map().syncMapItems(key).fetch());
    } catch (error) {
      if (isTwilioNotFound(error)) return undefined;
      throw fromTwilioError(error, `Reading ${this.mapName}/${key}`);
    }
  }

  /**
   * Creates the item; 409 `item_exists` when it already exists (so creation is a claim). With
   * `ttlSeconds`, Sync deletes the item that long after this write.
   */
  async create(key: string, data: T, ttlSeconds?: number): Promise<StoredItem<T>> {
    const attempt = () =>
      this.map().syncMapItems.create({ key, data, ...(ttlSeconds ? { itemTtl: ttlSeconds } : {}) });
    try {
      return toStored<T>(await this.withMap(attempt));
    } catch (error) {
      if (isTwilioRestError(error) && error.status === 409) {
        throw conflict('item_exists', `${this.mapName}/${key} already exists.`, { key });
      }
      throw fromTwilioError(error, `Creating ${this.mapName}/${key}`);
    }
  }

  /** Replaces the item if it is still at `revision`; 409 `revision_conflict` otherwise. */
  async replace(key: string, revision: string, data: T): Promise<StoredItem<T>> {
    try {
      return toStored<T>(await this.map().syncMapItems(key).update({ data, ifMatch: revision }));
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
        return await this.replace(key, current.revision, change(current.data));
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
   * `more` is false once Sync says no items follow.
   */
  async itemsAfter(
    afterKey: string | undefined,
    pageSize: number,
  ): Promise<{ items: StoredItem<T>[]; more: boolean }> {
    try {
      const page = await this.map().syncMapItems.page({
        pageSize,
        order: 'asc',
        ...(afterKey === undefined ? {} : { from: afterKey, bounds: 'exclusive' }),
      });
      return { items: page.instances.map((item) => toStored<T>(item)), more: Boolean(page.nextPageUrl) };
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

function toStored<T>(item: { key: string; data: unknown; revision: string }): StoredItem<T> {
  return { key: item.key, data: item.data as T, revision: item.revision };
}
