/**
 * The Address a new subaccount's number is bought or moved with. Twilio takes only an Address of the
 * account that gets the number: "Each Address created on an account or subaccount can be used for any
 * phone numbers purchased on that account" (https://www.twilio.com/docs/usage/api/address); an
 * AddressSid of another account "does not belong to your account" (22109,
 * https://www.twilio.com/docs/api/errors/22109, documented for hosted numbers; for purchases and transfers
 * Twilio answers 21631 and 21613: https://www.twilio.com/docs/api/errors/21631,
 * https://www.twilio.com/docs/api/errors/21613). A new subaccount has none, so an Address kept in the main
 * account (the company's or the customer's) is copied into it, as one would by hand.
 */
import { fromTwilioError, isTwilioNotFound } from '../../../twilio/rest-errors';
import type { AdminDeps } from '../../deps';
import { twilioCall } from '../../twilio-call';
import type { CreatePlan } from './plan';

/** An Address as Twilio files it: what a copy repeats, and what recognises the copy on a retry. */
export interface AddressRecord {
  sid: string;
  customerName: string;
  street: string;
  streetSecondary: string | null;
  city: string;
  region: string;
  postalCode: string;
  isoCountry: string;
  friendlyName: string | null;
}

/** The Address a number goes with: the subaccount's own, or one of the main account's, to copy. */
export interface NumberAddress {
  kind: 'own' | 'copy';
  address: AddressRecord;
}

// Twilio answers null or "" for an unset optional field.
const recordOf = (address: AddressRecord): AddressRecord => ({
  sid: address.sid,
  customerName: address.customerName,
  street: address.street,
  streetSecondary: address.streetSecondary || null,
  city: address.city,
  region: address.region,
  postalCode: address.postalCode,
  isoCountry: address.isoCountry,
  friendlyName: address.friendlyName || null,
});

/** The main account's Address `sid`; undefined when the main account has no such Address. */
export async function addressOfMain(deps: AdminDeps, sid: string): Promise<AddressRecord | undefined> {
  try {
    return recordOf(await deps.clients.main().addresses(sid).fetch());
  } catch (error) {
    if (isTwilioNotFound(error)) return undefined;
    throw fromTwilioError(error, `Fetching Address ${sid}`);
  }
}

/**
 * Bounds the search: one page of 20. A subaccount of one customer holds a few Addresses (its copies, one
 * per country its numbers need); past this, the caller names one.
 */
const ADDRESSES_SEARCHED = 20;

/** The Addresses of `accountSid` (none for a subaccount not yet known). */
export async function addressesOf(deps: AdminDeps, accountSid: string | undefined): Promise<AddressRecord[]> {
  if (!accountSid) return [];
  const found = await twilioCall(
    `Listing the Addresses of ${accountSid}`,
    deps.clients.actingOn(accountSid).addresses.list({ limit: ADDRESSES_SEARCHED }),
  );
  return found.map(recordOf);
}

const sameAddress = (a: AddressRecord, b: AddressRecord): boolean =>
  a.customerName === b.customerName &&
  a.street === b.street &&
  a.streetSecondary === b.streetSecondary &&
  a.city === b.city &&
  a.region === b.region &&
  a.postalCode === b.postalCode &&
  a.isoCountry === b.isoCountry &&
  a.friendlyName === b.friendlyName;

/**
 * The SID of the Address the number goes with in subaccount `sid`: the subaccount's own as it is, or a
 * copy of the main account's. The copy is made once per create: a resumed create first looks for an
 * Address of the subaccount with the same fields (an earlier attempt's copy, even one whose answer was
 * lost). It is created with AutoCorrectAddress=false so that Twilio files exactly the fields of the
 * original, which Twilio accepted already ("we won't alter the address you provide",
 * https://www.twilio.com/docs/usage/api/address); that is also what lets a retry recognise it.
 */
export async function ensureNumberAddress(plan: CreatePlan, sid: string): Promise<string | null> {
  const { deps } = plan;
  const chosen = plan.number && plan.number.kind !== 'unavailable' ? plan.number.address : undefined;
  if (!chosen) return null;
  const { address } = chosen;
  if (chosen.kind === 'own') return address.sid;
  if (plan.resumed) {
    const copy = (await addressesOf(deps, sid)).find((candidate) => sameAddress(candidate, address));
    if (copy) return copy.sid;
  }
  const copy = await twilioCall(
    `Copying Address ${address.sid} into ${sid}`,
    deps.clients.actingOn(sid).addresses.create({
      customerName: address.customerName,
      street: address.street,
      city: address.city,
      region: address.region,
      postalCode: address.postalCode,
      isoCountry: address.isoCountry,
      autoCorrectAddress: false,
      ...(address.streetSecondary ? { streetSecondary: address.streetSecondary } : {}),
      ...(address.friendlyName ? { friendlyName: address.friendlyName } : {}),
    }),
  );
  return copy.sid;
}
