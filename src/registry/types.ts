/**
 * The registry: what the service set up for each subaccount it manages (keys, app, numbers, routing),
 * in the main account's Sync Service; Twilio is the source of truth for what exists, and `check`
 * compares the two. How it is laid out in Sync (a directory Map, one Map per subaccount) is in
 * layout.ts; admin code sees each subaccount as one assembled `SubaccountRecord`.
 */
import type { NumberType } from '../toll-fraud/destination-guard';

/**
 * `provisioning`: a `create` made the subaccount on Twilio but has not finished it (see `provisioning`
 * on the record); `deleted`: Twilio answered 404 for it
 * (it deletes closed subaccounts 30 days after closure), so there is nothing left to ask it about;
 * `disconnected` (connected accounts only): what this service set up in it is gone, its credentials
 * forgotten.
 */
export type SubaccountStatus =
  'provisioning' | 'active' | 'suspended' | 'closed' | 'deleted' | 'disconnected';

/**
 * Whose account a tenant is: `subaccount`, one of our main account's subaccounts, reached with the main
 * credentials; `connected`, a customer's own account (or a subaccount of their own master account),
 * reached only with the SID and auth token they handed over (admin/accounts/). Absent: `subaccount`.
 */
export type TenantKind = 'subaccount' | 'connected';

export const TENANT_KINDS = ['subaccount', 'connected'] as const satisfies readonly TenantKind[];

/** A number of a connected account pointed at our TwiML App, with the voice setting it had before. */
export interface PointedNumber {
  sid: string;
  phoneNumber: string;
  voiceUrl: string | null;
  voiceMethod: string | null;
  voiceApplicationSid: string | null;
}

/** What a connected account's record keeps besides a subaccount's. */
export interface ConnectionState {
  connectedAt: string;
  /** Numbers `connect` pointed at our App: disconnect restores each one's previous voice setting. */
  pointedNumbers: PointedNumber[];
  /**
   * When Twilio first refused the auth token we hold (401, `code`, e.g. 20003): /token and /voice refuse
   * until update-credentials; null while it is accepted. Set once, so its event is sent once.
   */
  credentialsRejected: { at: string; code: number } | null;
  disconnectedAt?: string;
}

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
  'disconnected',
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
  /** Absent: `subaccount` (records written before connected accounts existed). */
  kind?: TenantKind;
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
   * The toll-fraud guard (toll-fraud/destination-guard.ts): ISO 3166 alpha-2 countries browser calls may
   * reach, and number types they may not; absent, the default (toll-fraud/calling-policy.ts).
   */
  allowedCountries?: string[];
  blockedNumberTypes?: NumberType[];
  messagingServiceSid: string | null;
  idempotencyKey: string | null;
  /**
   * A connected account's: the one its owner handed over (update-credentials replaces it), the only
   * credential this service has for that account.
   * The subaccount's auth token as this service last saw it, encrypted (tenant-auth-token.ts), so a
   * tenant's first /voice on an instance verifies its signature with the one registry read it makes.
   * Absent from items written before it was kept; `check` reports that and repair fills it in.
   */
  authToken?: EncryptedSecret;
  /** Connected accounts only: what connect pointed, and whether Twilio still accepts the token. */
  connection?: ConnectionState;
  /** Set while `status` is `provisioning`; null or absent once the create has finished. */
  provisioning?: ProvisioningState | null;
  createdAt: string;
  updatedAt: string;
  /** When Twilio was found to have deleted the subaccount (status `deleted`). */
  deletedAt?: string;
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
