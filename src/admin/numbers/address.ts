import { badRequest } from '../../errors/service-error';
import type { AdminDeps } from '../deps';
import { twilioCall } from '../twilio-call';

/** A number's `address_requirements`, as Twilio answers it for available and owned numbers. */
export type AddressRequirement = 'none' | 'any' | 'local' | 'foreign';

export interface AddressNeed {
  requirement: AddressRequirement | string;
  /** The number's country, or how to learn it (only `local` and `foreign` need it). */
  isoCountry: () => Promise<string | null>;
}

/**
 * Most Addresses an account is read for at once: one page. An account of this service holds one or a few
 * (one per country its numbers need); more than a page is beyond what it ever creates.
 */
const ADDRESS_PAGE_SIZE = 1000;

/**
 * `none` needs no address, `any` one anywhere, `local` one in the number's country, `foreign` one
 * outside it (https://www.twilio.com/docs/phone-numbers/api/availablephonenumberlocal-resource).
 */
export function fits(requirement: string, numberCountry: string | null, addressCountry: string): boolean {
  if (requirement === 'local') return addressCountry === numberCountry;
  if (requirement === 'foreign') return numberCountry !== null && addressCountry !== numberCountry;
  return true;
}

/**
 * The Address of `accountSid` that a number needing `need` is bought or transferred with. Twilio no
 * longer looks one up for a purchase: "you are now required to pass in an AddressSid that satisfies the
 * requirement" (21631, https://www.twilio.com/docs/api/errors/21631), and a transfer needs "the correct
 * address on file" in the gaining account (21613, https://www.twilio.com/docs/api/errors/21613). So the
 * caller's `addressSid` must be an address of that account that fits; without one, the one address
 * that fits is used when exactly one does. Anything else is refused before Twilio is asked to change
 * anything, with what Twilio requires. Null when the number needs no address and none was named.
 */
export async function compliantAddress(
  deps: AdminDeps,
  accountSid: string,
  need: AddressNeed,
  addressSid: string | undefined,
): Promise<string | null> {
  if (need.requirement === 'none' && !addressSid) return null;
  const [addresses, numberCountry] = await Promise.all([
    twilioCall(
      `Listing addresses of ${accountSid}`,
      deps.clients
        .actingOn(accountSid)
        .addresses.list({ pageSize: ADDRESS_PAGE_SIZE, limit: ADDRESS_PAGE_SIZE }),
    ),
    need.requirement === 'local' || need.requirement === 'foreign'
      ? need.isoCountry()
      : Promise.resolve(null),
  ]);
  const where = describeRequirement(need.requirement, numberCountry);
  if (addressSid) {
    const named = addresses.find((address) => address.sid === addressSid);
    if (!named || !fits(need.requirement, numberCountry, named.isoCountry)) {
      throw badRequest(
        'address_not_compliant',
        `addressSid: ${addressSid} is not ${named ? 'an address that fits' : 'an address of'} ${accountSid}; the number needs ${where}.`,
        { parameter: 'addressSid', requirement: need.requirement, isoCountry: numberCountry },
      );
    }
    return addressSid;
  }
  const fitting = addresses.filter((address) => fits(need.requirement, numberCountry, address.isoCountry));
  if (fitting.length === 1) return fitting[0]?.sid ?? null;
  throw badRequest(
    'address_required',
    fitting.length === 0
      ? `The number needs ${where} in ${accountSid}, and it has none: add one with /admin/addresses/create (CLI: address-add), then retry.`
      : `The number needs ${where} in ${accountSid}, and ${fitting.length} fit: name one with addressSid.`,
    {
      parameter: 'addressSid',
      requirement: need.requirement,
      isoCountry: numberCountry,
      compliantAddressSids: fitting.map((address) => address.sid),
    },
  );
}

/** What a number with `requirement` needs, in words for an error message. */
export function describeRequirement(requirement: string, country: string | null): string {
  if (requirement === 'local')
    return `an Address in ${country ?? "the number's country"} (requirement: local)`;
  if (requirement === 'foreign')
    return `an Address outside ${country ?? "the number's country"} (requirement: foreign)`;
  return `an Address (requirement: ${requirement})`;
}

/** The country of a number Twilio holds, from Lookup's free basic lookup (country_code). */
export function countryOfNumber(deps: AdminDeps, phoneNumber: string): () => Promise<string | null> {
  return async () => {
    const lookup = await twilioCall(
      `Looking up the country of ${phoneNumber}`,
      deps.clients.main().lookups.v2.phoneNumbers(phoneNumber).fetch(),
    );
    return lookup.countryCode ?? null;
  };
}
