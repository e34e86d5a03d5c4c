/**
 * An Address added to the main account or a subaccount of this service, so a number that needs one
 * (its `address_requirements`: any, local or foreign) can be bought into or transferred to it. Twilio's
 * CreateAddress requires CustomerName, Street, City, Region, PostalCode and IsoCountry
 * (https://www.twilio.com/docs/usage/api/address); a subaccount's Address is made with the main
 * credentials, which reach every v2010 resource of a subaccount.
 *
 * Retry-safe without a key: an Address of the account with the same fields is answered instead of a
 * second one (`created: false`). One list of at most ADDRESS_PAGE_SIZE Addresses and one create: two
 * round trips, far inside a Function's 10 s.
 */
import { z } from 'zod';
import type { AdminDeps } from '../deps';
import { accountSid } from '../parameters';
import { twilioCall } from '../twilio-call';
import { numberOwner } from './owner';

/** Twilio's largest page: an account keeps few Addresses, so one page holds them all. */
const ADDRESS_PAGE_SIZE = 1000;

const line = (what: string, max = 255) => z.string().trim().min(1).max(max).describe(what);

export const addAddressParameters = z.object({
  accountSid: accountSid.describe('the AC... SID of the main account or of a subaccount of this service'),
  customerName: line('the name of the customer or business at the address'),
  street: line('the street line of the address'),
  streetSecondary: line('a second street line (suite, floor)').optional(),
  city: line('the city'),
  region: line('the state or region'),
  postalCode: line('the postal code', 32),
  isoCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code in capitals, e.g. US')
    .describe('the ISO 3166-1 alpha-2 country code, e.g. US'),
  friendlyName: line('a name for the address', 64).optional(),
});

export type AddAddressParameters = z.output<typeof addAddressParameters>;

export interface AddedAddress {
  address: {
    sid: string;
    accountSid: string;
    customerName: string;
    street: string;
    city: string;
    region: string;
    postalCode: string;
    isoCountry: string;
    friendlyName: string | null;
  };
  /** False when the account already had an Address with these fields, answered instead of a new one. */
  created: boolean;
}

interface TwilioAddress {
  sid: string;
  accountSid: string;
  customerName: string;
  street: string;
  streetSecondary?: string | null;
  city: string;
  region: string;
  postalCode: string;
  isoCountry: string;
  friendlyName?: string | null;
}

const sameAddress = (address: TwilioAddress, wanted: AddAddressParameters): boolean =>
  address.customerName === wanted.customerName &&
  address.street === wanted.street &&
  (address.streetSecondary ?? undefined) === wanted.streetSecondary &&
  address.city === wanted.city &&
  address.region === wanted.region &&
  address.postalCode === wanted.postalCode &&
  address.isoCountry === wanted.isoCountry;

const view = (address: TwilioAddress, created: boolean): AddedAddress => ({
  address: {
    sid: address.sid,
    accountSid: address.accountSid,
    customerName: address.customerName,
    street: address.street,
    city: address.city,
    region: address.region,
    postalCode: address.postalCode,
    isoCountry: address.isoCountry,
    friendlyName: address.friendlyName ?? null,
  },
  created,
});

export async function addAddress(deps: AdminDeps, parameters: AddAddressParameters): Promise<AddedAddress> {
  const owner = await numberOwner(deps, parameters.accountSid, 'accountSid');
  const addresses = deps.clients.actingOn(owner.sid).addresses;
  const existing: TwilioAddress[] = await twilioCall(
    `Listing addresses of ${owner.sid}`,
    addresses.list({ pageSize: ADDRESS_PAGE_SIZE, limit: ADDRESS_PAGE_SIZE }),
  );
  const found = existing.find((address) => sameAddress(address, parameters));
  if (found) return view(found, false);
  const made: TwilioAddress = await twilioCall(
    `Adding an address to ${owner.sid}`,
    addresses.create({
      customerName: parameters.customerName,
      street: parameters.street,
      city: parameters.city,
      region: parameters.region,
      postalCode: parameters.postalCode,
      isoCountry: parameters.isoCountry,
      ...(parameters.streetSecondary ? { streetSecondary: parameters.streetSecondary } : {}),
      ...(parameters.friendlyName ? { friendlyName: parameters.friendlyName } : {}),
    }),
  );
  return view(made, true);
}
