/**
 * The registry: what the service set up for each subaccount it manages (keys, app, numbers, routing),
 * in the main account's Sync Service; Twilio is the source of truth for what exists, and `check`
 * compares the two. How it is laid out in Sync (a directory Map, one Map per subaccount) is in
 * layout.ts; admin code sees each subaccount as one assembled `SubaccountRecord`.
 */
import type { NumberType } from '../voice/destination-guard';

/**
 * `provisioning`: a `create` made the subaccount on Twilio but has not finished it (see `provisioning`
 * on the record); `deleted`: Twilio answered 404 for it
 * (it deletes closed subaccounts 30 days after closure), so there is nothing left to ask it about.
 */
export type SubaccountStatus = 'provisioning' | 'active' | 'suspended' | 'closed' | 'deleted';

/** What an unfinished `create` still lacks, and why it stopped. */
export interface ProvisioningState {
  /** Parts not yet in place: `apiKey`, `twimlApp`, `messagingService`, `number`, `friendlyName`, `registry`. */
  missing: string[];
  reason: string;
}

export const SUBACCOUNT_STATUSES = [
  'provisioning',
  'active',
  'suspended',
  'closed',
  'deleted',
] as const satisfies readonly SubaccountStatus[];

/** An AES-256-GCM ciphertext bound to the item it is stored in (as additional data), all parts base64. */
export interface EncryptedSecret {
  alg: 'A256GCM';
  /** Id of the registry key it is sealed under (config/key-ring.ts); absent on secrets sealed before ids. */
  kid?: string;
  iv: string;
  tag: string;
  data: string;
}

/** A Standard API key of the subaccount; its secret is only ever stored encrypted. */
export interface ApiKeyRef {
  sid: string;
  secret: EncryptedSecret;
  createdAt: string;
}

/** A replaced key kept until no token signed with it can still be in use (see rotate-key). */
export interface RetiringApiKey extends ApiKeyRef {
  retireAfter: string;
}

/** What one rotate-key call did, kept so that its retry (same idempotency key) is answered, not redone. */
export interface KeyRotation {
  idempotencyKey: string;
  newKeySid: string;
  retiringKeySid: string | null;
  retireAfter: string;
}

export interface RegisteredNumber {
  sid: string;
  /** E.164, e.g. +15551234567 */
  phoneNumber: string;
}

export interface SubaccountRecord {
  sid: string;
  friendlyName: string;
  status: SubaccountStatus;
  apiKey: ApiKeyRef | null;
  retiringApiKeys: RetiringApiKey[];
  /** The latest rotate-key calls, newest first (a few: a retry comes soon after its call). */
  keyRotations?: KeyRotation[];
  twimlAppSid: string | null;
  numbers: RegisteredNumber[];
  /** Default caller ID for outgoing browser calls: one of `numbers`. */
  callerId: string | null;
  /** Inbound routing: E.164 number → identities that ring for it. */
  inboundRouting: Record<string, string[]>;
  recording: boolean;
  /**
   * What an inbound caller gets when nobody answers: voicemail (`<Record>`) when true or absent, a
   * spoken message and hang-up when false.
   */
  voicemail?: boolean;
  /** Recordings older than this many days are deleted by `check` with `repair`; absent: kept until deleted. */
  recordingRetentionDays?: number | null;
  /**
   * The toll-fraud guard (voice/destination-guard.ts): ISO 3166 alpha-2 countries browser calls may
   * reach, and number types they may not; absent, the default (voice/calling-policy.ts).
   */
  allowedCountries?: string[];
  blockedNumberTypes?: NumberType[];
  messagingServiceSid: string | null;
  idempotencyKey: string | null;
  /**
   * The subaccount's auth token as this service last saw it, encrypted (tenant-auth-token.ts), so a
   * tenant's first /voice on an instance verifies its signature with the one registry read it makes.
   * Absent from items written before it was kept; `check` reports that and repair fills it in.
   */
  authToken?: EncryptedSecret;
  /** Set while `status` is `provisioning`; null or absent once the create has finished. */
  provisioning?: ProvisioningState | null;
  createdAt: string;
  updatedAt: string;
  /** When Twilio was found to have deleted the subaccount (status `deleted`). */
  deletedAt?: string;
}

/**
 * One lifecycle change at a time per subaccount: who holds it, for what, until when. Kept in an item
 * of its own (layout.ts), so taking it does not change the record's revision.
 */
export interface SubaccountLease {
  operation: string;
  holder: string;
  until: string;
}

/** A record with the Sync revision it was read at; writes must name it (If-Match). */
export interface StoredRecord {
  record: SubaccountRecord;
  revision: string;
}

/**
 * The longest lifetime of a Voice access token (Twilio's cap, 24 h). /token must never issue a longer
 * one: rotate-key keeps a replaced API key this long, so every token signed with it has expired first.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
