import { isServiceError, ServiceError } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type {
  EncryptedSecret,
  ProvisioningState,
  RegisteredNumber,
  SubaccountRecord,
} from '../../registry/types';
import type { NumberType } from '../../voice/destination-guard';
import { fromTwilioError, isTwilioRestError } from '../../twilio/rest-errors';
import type { AdminDeps } from '../deps';
import { withIdempotencyKey } from '../idempotency';
import { describeProvisioning, type ProvisionedPart } from './provisioning';

/** What the caller asked the subaccount to be, as far as its registry item shows it. */
export interface RequestedSubaccount {
  friendlyName: string;
  recording: boolean;
  allowedCountries?: string[] | undefined;
  blockedNumberTypes?: NumberType[] | undefined;
  messagingService: boolean;
  /** A number was asked for (moved or bought). */
  number: boolean;
  /** The subaccount's auth token, sealed for its `account` item (registry/tenant-auth-token.ts). */
  authToken?: EncryptedSecret;
}

type MadeFields = Partial<Pick<SubaccountRecord, 'apiKey' | 'twimlAppSid' | 'messagingServiceSid'>> & {
  number?: RegisteredNumber;
};

/**
 * The registry item of a subaccount a `create` is making. It exists from the moment the SID is known
 * (status `provisioning`, with what is missing), so list, get, check and close see the subaccount even
 * if the create never finishes; it turns `active` once every part is in place. After a failure it says
 * what is missing and why, and the error the caller gets says the same.
 */
export class CreationRecord {
  private stored: StoredItem<SubaccountRecord> | undefined;
  private readonly made: MadeFields = {};
  private readonly missing: Set<ProvisionedPart>;
  private completed = false;

  constructor(
    private readonly deps: AdminDeps,
    readonly sid: string,
    private readonly idempotencyKey: string,
    private readonly requested: RequestedSubaccount,
  ) {
    this.missing = new Set<ProvisionedPart>([
      'apiKey',
      'twimlApp',
      ...(requested.messagingService ? (['messagingService'] as const) : []),
      ...(requested.number ? (['number'] as const) : []),
      'friendlyName',
    ]);
  }

  /** Marks a part as in place, with the record fields that show it. */
  done(part: ProvisionedPart, fields: MadeFields = {}): void {
    this.missing.delete(part);
    Object.assign(this.made, fields);
  }

  /** Writes the `provisioning` item; the item of an earlier attempt with this key stands. */
  async register(): Promise<void> {
    try {
      this.stored = await this.deps.registry.create(this.sid, this.initial());
    } catch (error) {
      if (!(isServiceError(error) && error.code === 'item_exists')) throw error;
      const existing = await this.deps.registry.get(this.sid);
      if (!existing) throw error;
      this.stored = existing;
    }
  }

  /** The finished item: every part in place, status `active`. One write when nobody changed it meanwhile. */
  async complete(): Promise<StoredItem<SubaccountRecord>> {
    const finish = (record: SubaccountRecord): SubaccountRecord => ({
      ...this.withMade(record),
      status: record.status === 'provisioning' ? 'active' : record.status,
      provisioning: null,
    });
    let stored: StoredItem<SubaccountRecord> | undefined;
    if (this.stored) {
      stored = await this.deps.registry
        .replace(this.sid, this.stored.revision, finish(this.stored.data))
        .catch((error: unknown) => {
          if (isServiceError(error) && error.code === 'revision_conflict') return undefined;
          throw error;
        });
    }
    stored ??= await this.deps.registry.update(this.sid, finish);
    this.completed = true;
    return stored;
  }

  /**
   * After a failure: records what is missing and why (best effort: the answer says it too), and gives
   * the error to answer, naming the subaccount, what it lacks and the idempotencyKey that finishes it.
   */
  async stopped(error: unknown): Promise<unknown> {
    if (this.completed) return withIdempotencyKey(error, this.idempotencyKey, 'Creating the subaccount');
    const known = isServiceError(error) || isTwilioRestError(error);
    const failure = known ? fromTwilioError(error, 'Creating the subaccount') : undefined;
    const provisioning: ProvisioningState = {
      missing: this.missing.size > 0 ? [...this.missing] : ['registry'],
      reason: failure?.message ?? 'The service failed unexpectedly; the error is in its logs.',
    };
    await this.record(provisioning);
    if (!failure) return error;
    return new ServiceError(
      failure.status,
      'subaccount_incomplete',
      `Subaccount ${this.sid} exists but is not complete (${describeProvisioning(provisioning)}); retry with the same idempotencyKey (${this.idempotencyKey}) to finish it (phoneNumberSid, areaCode, isoCountry and addressSid may change), or close it.`,
      {
        ...failure.details,
        cause: failure.code,
        idempotencyKey: this.idempotencyKey,
        subaccountSid: this.sid,
        provisioning,
      },
    );
  }

  private async record(provisioning: ProvisioningState): Promise<void> {
    const stop = (record: SubaccountRecord): SubaccountRecord =>
      record.status === 'provisioning' ? { ...this.withMade(record), provisioning } : record;
    await this.deps.registry
      .update(this.sid, stop)
      .catch((error: unknown) => {
        // Only a record that was never written is created here; any other failure leaves it as it is.
        if (isServiceError(error) && error.code === 'not_found')
          return this.deps.registry.create(this.sid, stop(this.initial()));
        return undefined;
      })
      .catch(() => undefined);
  }

  private withMade(record: SubaccountRecord): SubaccountRecord {
    const { number, ...fields } = this.made;
    const numbers = number
      ? [...record.numbers.filter((held) => held.sid !== number.sid), number]
      : record.numbers;
    return {
      ...record,
      ...fields,
      numbers,
      callerId: record.callerId ?? number?.phoneNumber ?? null,
      updatedAt: this.deps.now().toISOString(),
    };
  }

  private initial(): SubaccountRecord {
    return newSubaccountRecord(this.sid, this.requested.friendlyName, this.deps.now(), {
      status: 'provisioning',
      recording: this.requested.recording,
      ...(this.requested.allowedCountries ? { allowedCountries: this.requested.allowedCountries } : {}),
      ...(this.requested.blockedNumberTypes ? { blockedNumberTypes: this.requested.blockedNumberTypes } : {}),
      idempotencyKey: this.idempotencyKey,
      ...(this.requested.authToken ? { authToken: this.requested.authToken } : {}),
      provisioning: {
        missing: [...this.missing],
        reason: `Being created by the create call with idempotencyKey ${this.idempotencyKey}; if that call failed, retry it with the same key, or close this subaccount.`,
      },
    });
  }
}

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
