import { TwilioError } from '../rest/errors';
import type { Address, AddressRequirement, IncomingPhoneNumber, SandboxState } from '../state/types';

/**
 * What each `address_requirements` value asks of an Address, as Twilio's AvailablePhoneNumber reference
 * describes them (https://www.twilio.com/docs/phone-numbers/api/availablephonenumberlocal-resource):
 * `none` no address, `any` an address anywhere, `local` one in the number's country, `foreign` one
 * outside it.
 */
export function addressFits(
  requirement: AddressRequirement,
  numberCountry: string,
  address: Address,
): boolean {
  if (requirement === 'local') return address.isoCountry === numberCountry;
  if (requirement === 'foreign') return address.isoCountry !== numberCountry;
  return true;
}

/**
 * Purchases: "you are now required to pass in an AddressSid that satisfies the requirement for the phone
 * number", no longer looked up in the account; without one, or with one that does not fit, 21631
 * (https://www.twilio.com/docs/api/errors/21631, since
 * https://www.twilio.com/en/changelog/change-phone-number-provisioning-api).
 * Transfers: the gaining account must "have the correct address on file", else 21613
 * (https://www.twilio.com/docs/api/errors/21613). Which of several fitting addresses Twilio links to a
 * transferred number is not documented: the sandbox links the first, and a caller who cares names one.
 *
 * Not documented either: the code for an AddressSid of another account or of no address at all (22109
 * says so for hosted numbers only); the sandbox answers it with the same code as a missing address.
 */
export function addressFor(
  state: SandboxState,
  number: Pick<IncomingPhoneNumber, 'accountSid' | 'isoCountry' | 'addressRequirements'>,
  addressSid: string | null,
  onFile: 'looked up' | 'required',
): string | null {
  const code = onFile === 'looked up' ? 21613 : 21631;
  const refuse = (message: string) => new TwilioError(400, code, message);
  const fits = (address: Address) =>
    address.accountSid === number.accountSid &&
    addressFits(number.addressRequirements, number.isoCountry, address);
  if (addressSid) {
    const address = state.addresses.find((candidate) => candidate.sid === addressSid);
    if (!address || address.accountSid !== number.accountSid) {
      throw refuse(`AddressSid ${addressSid} is not an Address of account ${number.accountSid}`);
    }
    if (!fits(address)) {
      throw refuse(
        `Phone Number Requires an Address: ${addressSid} (${address.isoCountry}) does not satisfy the requirement '${number.addressRequirements}' of this ${number.isoCountry} number`,
      );
    }
    return addressSid;
  }
  if (number.addressRequirements === 'none') return null;
  const onRecord = onFile === 'looked up' ? state.addresses.find(fits) : undefined;
  if (!onRecord) {
    throw refuse(
      onFile === 'looked up' ? 'PhoneNumber Requires an Address' : 'Phone Number Requires an Address',
    );
  }
  return onRecord.sid;
}
