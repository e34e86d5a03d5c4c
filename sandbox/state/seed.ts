import Big from 'big.js';
import { nowIso } from '../rest/dates';
import { newSecret, newSid } from '../rest/ids';
import type {
  Account,
  Address,
  AddressRequirement,
  AvailableNumber,
  Call,
  CallStatus,
  IncomingPhoneNumber,
  SandboxState,
  UsageRecord,
} from './types';

export interface SeedOptions {
  /** Reuse a known main account (e.g. the one in a local .env) instead of a random one. */
  accountSid?: string;
  authToken?: string;
  friendlyName?: string;
  /** How many numbers a main account made by this seed gets; 3 unless given. An existing one gets none. */
  phoneNumbers?: number;
}

export interface SeedResult {
  accountSid: string;
  authToken: string;
  phoneNumbers: { sid: string; phoneNumber: string }[];
}

/** The next unused number of the fictional 555-01xx range in an area code. */
function unusedNumber(state: SandboxState, areaCode: string): string {
  const taken = new Set([
    ...state.incomingPhoneNumbers.map((n) => n.phoneNumber),
    ...state.availableNumbers.map((n) => n.phoneNumber),
  ]);
  for (let i = 100; i < 10000; i += 1) {
    const candidate = `+1${areaCode}555${String(i).padStart(4, '0')}`;
    if (!taken.has(candidate)) return candidate;
  }
  throw new Error(`No unused sandbox numbers left in area code ${areaCode}`);
}

export function addAvailableNumber(
  state: SandboxState,
  fields: Partial<AvailableNumber> & { areaCode?: string } = {},
): AvailableNumber {
  const { areaCode = '415', ...rest } = fields;
  const offer: AvailableNumber = {
    phoneNumber: unusedNumber(state, areaCode),
    isoCountry: 'US',
    region: areaCode === '212' ? 'NY' : 'CA',
    locality: areaCode === '212' ? 'New York' : 'San Francisco',
    addressRequirements: 'none',
    ...rest,
  };
  state.availableNumbers.push(offer);
  return offer;
}

export interface PhoneNumberOptions {
  phoneNumber?: string;
  areaCode?: string;
  voiceUrl?: string;
  voiceApplicationSid?: string;
  /** `none` unless a test is about addresses. */
  addressRequirements?: AddressRequirement;
  isoCountry?: string;
  addressSid?: string;
}

export function addPhoneNumber(
  state: SandboxState,
  accountSid: string,
  options: PhoneNumberOptions = {},
): IncomingPhoneNumber {
  const now = nowIso();
  const phoneNumber = options.phoneNumber ?? unusedNumber(state, options.areaCode ?? '415');
  const number: IncomingPhoneNumber = {
    sid: newSid('PN'),
    accountSid,
    phoneNumber,
    isoCountry: options.isoCountry ?? 'US',
    friendlyName: phoneNumber,
    voiceUrl: options.voiceUrl ?? null,
    voiceMethod: 'POST',
    voiceApplicationSid: options.voiceApplicationSid ?? null,
    smsUrl: null,
    smsMethod: 'POST',
    smsApplicationSid: null,
    statusCallback: null,
    addressRequirements: options.addressRequirements ?? 'none',
    addressSid: options.addressSid ?? null,
    dateCreated: now,
    dateUpdated: now,
  };
  state.incomingPhoneNumbers.push(number);
  return number;
}

/** A new account as Twilio creates one (POST Accounts), with `fields` over its defaults. */
export function createAccountRecord(
  state: SandboxState,
  fields: Partial<Account> & { ownerAccountSid: string | null },
): Account {
  const now = nowIso();
  const account: Account = {
    sid: newSid('AC'),
    friendlyName: `SubAccount Created at ${now.slice(0, 16).replace('T', ' ')}`,
    status: 'active',
    authToken: newSecret(),
    dateCreated: now,
    dateUpdated: now,
    ...fields,
  };
  state.accounts.push(account);
  return account;
}

export function createAccount(
  state: SandboxState,
  options: { ownerAccountSid?: string | null; friendlyName?: string; sid?: string; authToken?: string } = {},
): Account {
  const { ownerAccountSid = null, ...fields } = options;
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return createAccountRecord(state, { ownerAccountSid, ...defined });
}

/** A main account with a few numbers, and numbers on offer to buy (some needing an address). */
export function seed(state: SandboxState, options: SeedOptions = {}): SeedResult {
  const existing = options.accountSid ? state.accounts.find((a) => a.sid === options.accountSid) : undefined;
  if (existing && options.authToken) existing.authToken = options.authToken;
  const account =
    existing ??
    createAccount(state, {
      friendlyName: options.friendlyName ?? 'Sandbox main account',
      sid: options.accountSid,
      authToken: options.authToken,
    });
  const owned = state.incomingPhoneNumbers.filter((n) => n.accountSid === account.sid);
  // Numbers are given to a new account only: an account seeded again (every `npm start` on a kept state)
  // keeps what its owner did with its numbers, moved away or released.
  if (!existing)
    for (let i = 0; i < (options.phoneNumbers ?? 3); i += 1) owned.push(addPhoneNumber(state, account.sid));
  if (!state.availableNumbers.length) {
    for (let i = 0; i < 10; i += 1) addAvailableNumber(state, { areaCode: '415' });
    for (let i = 0; i < 5; i += 1) addAvailableNumber(state, { areaCode: '212', addressRequirements: 'any' });
  }
  return {
    accountSid: account.sid,
    authToken: account.authToken,
    phoneNumbers: owned.map((n) => ({ sid: n.sid, phoneNumber: n.phoneNumber })),
  };
}

/** An Address with every field CreateAddress requires, as a customer would have filed it. */
export function addAddress(state: SandboxState, accountSid: string, isoCountry = 'US'): Address {
  const address: Address = {
    sid: newSid('AD'),
    accountSid,
    customerName: 'Sandbox customer',
    street: '375 Beale St',
    streetSecondary: 'Suite 300',
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94105',
    isoCountry,
    friendlyName: 'Head office',
    dateCreated: nowIso(),
  };
  state.addresses.push(address);
  return address;
}

export interface CallOptions {
  accountSid: string;
  from: string;
  to: string;
  status?: CallStatus;
  direction?: Call['direction'];
  /** When the call was answered and when it ended (ISO), for a call made as if it had happened. */
  startTime?: string;
  endTime?: string;
}

export function createCall(state: SandboxState, options: CallOptions): Call {
  const now = nowIso();
  const status = options.status ?? 'in-progress';
  const call: Call = {
    sid: newSid('CA'),
    accountSid: options.accountSid,
    from: options.from,
    to: options.to,
    status,
    direction: options.direction ?? 'inbound',
    startTime: options.startTime ?? (status === 'queued' || status === 'ringing' ? null : now),
    endTime: options.endTime ?? null,
    dateCreated: now,
    dateUpdated: now,
  };
  state.calls.push(call);
  return call;
}

export type UsageOptions = Pick<UsageRecord, 'accountSid' | 'category' | 'startDate'> &
  Partial<Omit<UsageRecord, 'price'>> & {
    /** A decimal string ("1.25"), or a number written as one. */
    price: string | number;
  };

export function addUsage(state: SandboxState, options: UsageOptions): UsageRecord {
  const record: UsageRecord = {
    description: options.category,
    endDate: options.startDate,
    count: '1',
    countUnit: 'calls',
    usage: '1',
    usageUnit: 'minutes',
    priceUnit: 'usd',
    ...options,
    price: new Big(options.price).toString(),
  };
  state.usageRecords.push(record);
  return record;
}
