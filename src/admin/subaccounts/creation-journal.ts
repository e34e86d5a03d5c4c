import type { ServiceConfig } from '../../config/config';
import { conflict, ServiceError } from '../../errors/service-error';
import { SyncMapStore, type StoredItem } from '../../registry/sync-map-store';
import type { ApiKeyRef } from '../../registry/types';
import { twilioClients } from '../../twilio/clients';

/** Sync Map (unique name), next to the registry, holding one entry per `create` idempotency key. */
export const CREATION_JOURNAL_MAP = 'idempotency-keys';

/**
 * A `create` call holds its entry this long: a Function dies after 10 s, so past this nobody is still
 * working on it and a retry may take over.
 */
export const CREATION_LEASE_MS = 12_000;

/** What a `create` call has done so far, written as each step completes so a retry resumes there. */
export interface CreationEntry {
  /** Hash of the call's parameters but the number's: one key may only ever mean one subaccount. */
  requestHash: string;
  /**
   * Hash of the number parameters of the latest call with the key: they may change on a retry that
   * finishes the create (the number was the problem), but not once it has finished. Absent on entries
   * written before number parameters could change.
   */
  numberHash?: string;
  /** Until when the call that wrote it is (or was) working; null once it gave up. */
  leaseUntil: string | null;
  accountSid?: string;
  /** The key's secret is stored (encrypted) the moment Twilio returns it: it is shown only once. */
  apiKey?: ApiKeyRef;
  twimlAppSid?: string;
  messagingServiceSid?: string;
  createdAt: string;
}

export type CreationJournal = SyncMapStore<CreationEntry>;

export function creationJournal(config: ServiceConfig): CreationJournal {
  return new SyncMapStore<CreationEntry>(
    twilioClients(config).main,
    config.syncServiceSid,
    CREATION_JOURNAL_MAP,
    config.registryKeys,
  );
}

export type Progress = Pick<CreationEntry, 'accountSid' | 'apiKey' | 'twimlAppSid' | 'messagingServiceSid'>;

/**
 * The entry a `create` call holds while it works: progress is written with the revision it last wrote
 * (nobody else writes while the lease holds), one write at a time, in the order the steps finished.
 */
export class ClaimedCreation {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly journal: CreationJournal,
    readonly key: string,
    private stored: StoredItem<CreationEntry>,
    /** False for the first call with this key: nothing can exist yet, so no step looks for earlier work. */
    readonly resumed: boolean,
  ) {}

  get entry(): CreationEntry {
    return this.stored.data;
  }

  /** Records progress; resolves once it is durable. Writes queue behind each other. */
  save(progress: Progress): Promise<void> {
    const write = this.chain.then(async () => {
      this.stored = await this.journal.replace(this.key, this.stored.revision, {
        ...this.stored.data,
        ...progress,
      });
    });
    // A failed write fails its caller; later writes still run (with the revision last known to be good).
    this.chain = write.catch(() => undefined);
    return write;
  }

  /**
   * After a failure: let a retry take over at once instead of waiting for the lease to run out. Best
   * effort: a read-modify-write, since a write lost in the failure may have been applied anyway.
   */
  async release(): Promise<void> {
    await this.chain;
    await this.journal.update(this.key, (entry) => ({ ...entry, leaseUntil: null })).catch(() => undefined);
  }
}

export type Claim =
  | { kind: 'claimed'; creation: ClaimedCreation }
  /** The entry of an earlier call whose subaccount may be complete: the caller checks the registry. */
  | { kind: 'existing'; entry: StoredItem<CreationEntry> };

/** Claims `key` for this call (creating its entry), or returns the entry of an earlier call with it. */
export async function claimCreation(
  journal: CreationJournal,
  key: string,
  hashes: Pick<CreationEntry, 'requestHash' | 'numberHash'>,
  now: Date,
): Promise<Claim> {
  const leaseUntil = new Date(now.getTime() + CREATION_LEASE_MS).toISOString();
  try {
    const stored = await journal.create(key, { ...hashes, leaseUntil, createdAt: now.toISOString() });
    return { kind: 'claimed', creation: new ClaimedCreation(journal, key, stored, false) };
  } catch (error) {
    if (!(error instanceof ServiceError && error.code === 'item_exists')) throw error;
  }
  const existing = await journal.get(key);
  if (!existing) throw inProgress(key); // removed between our two reads: a retry starts afresh
  if (existing.data.requestHash !== hashes.requestHash) throw keyReused(key);
  return { kind: 'existing', entry: existing };
}

/** The refusal of a key already used for another request (number parameters aside, until it finished). */
export function keyReused(key: string, finished = false): ServiceError {
  return conflict(
    'idempotency_key_reused',
    finished
      ? `idempotencyKey ${key} was used for a create that has finished with other number parameters; use a new key.`
      : `idempotencyKey ${key} was already used for a create with other parameters (only phoneNumberSid, areaCode, isoCountry and addressSid may change while it is unfinished); use a new key.`,
    { parameter: 'idempotencyKey' },
  );
}

/**
 * Takes over an earlier call's entry once its lease has ended, recording this call's number parameters;
 * 409 while that call may still work.
 */
export async function resumeCreation(
  journal: CreationJournal,
  existing: StoredItem<CreationEntry>,
  numberHash: string,
  now: Date,
): Promise<ClaimedCreation> {
  const { leaseUntil } = existing.data;
  if (leaseUntil && Date.parse(leaseUntil) > now.getTime()) throw inProgress(existing.key);
  const lease = new Date(now.getTime() + CREATION_LEASE_MS).toISOString();
  try {
    const stored = await journal.replace(existing.key, existing.revision, {
      ...existing.data,
      numberHash,
      leaseUntil: lease,
    });
    return new ClaimedCreation(journal, existing.key, stored, true);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'revision_conflict') throw inProgress(existing.key);
    throw error;
  }
}

function inProgress(key: string): ServiceError {
  return conflict(
    'create_in_progress',
    `A create with idempotencyKey ${key} is still running; retry in a few seconds.`,
    { retryAfterSeconds: Math.ceil(CREATION_LEASE_MS / 1000) },
  );
}
