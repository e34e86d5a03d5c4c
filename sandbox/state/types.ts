/** The sandbox's whole state: plain data, so it persists as JSON and tests can read it directly. */

export type AccountStatus = 'active' | 'suspended' | 'closed';

export interface Account {
  sid: string;
  /** Null for a main account; the parent's SID for a subaccount. */
  ownerAccountSid: string | null;
  friendlyName: string;
  status: AccountStatus;
  authToken: string;
  dateCreated: string;
  dateUpdated: string;
  /** When it was closed (sandbox clock): 30 days later Twilio deletes it. */
  closedAt?: string;
}

export interface ApiKey {
  sid: string;
  accountSid: string;
  friendlyName: string;
  secret: string;
  dateCreated: string;
  dateUpdated: string;
}

export interface Application {
  sid: string;
  accountSid: string;
  friendlyName: string;
  voiceUrl: string | null;
  voiceMethod: string;
  statusCallback: string | null;
  statusCallbackMethod: string;
  smsUrl: string | null;
  smsMethod: string;
  dateCreated: string;
  dateUpdated: string;
}

export type AddressRequirement = 'none' | 'any' | 'local' | 'foreign';

export interface Address {
  sid: string;
  accountSid: string;
  customerName: string;
  street: string;
  streetSecondary: string | null;
  city: string;
  region: string;
  postalCode: string;
  isoCountry: string;
  friendlyName: string | null;
  dateCreated: string;
}

export interface IncomingPhoneNumber {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  /** The number's country, which `local` and `foreign` address requirements are judged against. */
  isoCountry: string;
  friendlyName: string;
  voiceUrl: string | null;
  voiceMethod: string;
  voiceApplicationSid: string | null;
  smsUrl: string | null;
  smsMethod: string;
  smsApplicationSid: string | null;
  statusCallback: string | null;
  addressRequirements: AddressRequirement;
  addressSid: string | null;
  dateCreated: string;
  dateUpdated: string;
}

/** A number the sandbox offers for sale through AvailablePhoneNumbers. */
export interface AvailableNumber {
  phoneNumber: string;
  isoCountry: string;
  region: string;
  locality: string;
  addressRequirements: AddressRequirement;
}

export type CallStatus =
  'queued' | 'ringing' | 'in-progress' | 'canceled' | 'completed' | 'failed' | 'busy' | 'no-answer';

export interface Call {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  status: CallStatus;
  direction: 'inbound' | 'outbound-api' | 'outbound-dial';
  startTime: string | null;
  endTime: string | null;
  dateCreated: string;
  dateUpdated: string;
}

export interface UsageRecord {
  accountSid: string;
  category: string;
  description: string;
  /** YYYY-MM-DD, inclusive. */
  startDate: string;
  endDate: string;
  count: string;
  countUnit: string;
  usage: string;
  usageUnit: string;
  price: number;
  priceUnit: string;
}

export interface SyncService {
  sid: string;
  accountSid: string;
  friendlyName: string | null;
  uniqueName: string | null;
  dateCreated: string;
  dateUpdated: string;
}

export interface SyncMap {
  sid: string;
  accountSid: string;
  serviceSid: string;
  uniqueName: string | null;
  revision: number;
  dateCreated: string;
  dateUpdated: string;
}

export interface SyncMapItem {
  key: string;
  accountSid: string;
  serviceSid: string;
  mapSid: string;
  revision: number;
  data: Record<string, unknown>;
  dateCreated: string;
  dateUpdated: string;
  /** When Sync deletes it (`ItemTtl` on create); absent when it never expires. */
  dateExpires?: string;
}

export interface MessagingService {
  sid: string;
  accountSid: string;
  friendlyName: string;
  inboundRequestUrl: string | null;
  dateCreated: string;
  dateUpdated: string;
}

export interface MessagingPhoneNumber {
  sid: string;
  accountSid: string;
  serviceSid: string;
  phoneNumber: string;
  dateCreated: string;
  dateUpdated: string;
}

export interface SandboxState {
  accounts: Account[];
  keys: ApiKey[];
  applications: Application[];
  addresses: Address[];
  incomingPhoneNumbers: IncomingPhoneNumber[];
  availableNumbers: AvailableNumber[];
  calls: Call[];
  usageRecords: UsageRecord[];
  syncServices: SyncService[];
  syncMaps: SyncMap[];
  syncMapItems: SyncMapItem[];
  messagingServices: MessagingService[];
  messagingPhoneNumbers: MessagingPhoneNumber[];
}

export function emptyState(): SandboxState {
  return {
    accounts: [],
    keys: [],
    applications: [],
    addresses: [],
    incomingPhoneNumbers: [],
    availableNumbers: [],
    calls: [],
    usageRecords: [],
    syncServices: [],
    syncMaps: [],
    syncMapItems: [],
    messagingServices: [],
    messagingPhoneNumbers: [],
  };
}
