/**
 * What `create` does about a number, decided before the subaccount exists: a number that cannot be had
 * refuses the call with nothing made, instead of leaving a subaccount without it.
 *
 * Twilio's rules modelled here:
 * - A number is bought by first finding it on offer (AvailablePhoneNumbers), then buying that exact
 *   number: https://www.twilio.com/docs/phone-numbers/api/availablephonenumberlocal-resource
 * - A number whose `address_requirements` is not `none` needs an `AddressSid` in the purchase; Twilio no
 *   longer looks one up (error 21631): https://www.twilio.com/docs/api/errors/21631
 * - A number moved to a subaccount that requires an address needs one on file in that subaccount
 *   (error 21613): https://www.twilio.com/docs/api/errors/21613
 * - An Address serves the numbers of the account it was created on:
 *   https://www.twilio.com/docs/usage/api/address . So an `addressSid` of the main account is copied into
 *   the new subaccount (address-copy.ts), and one of the subaccount (a finishing retry) is used as it is;
 *   either must fit the number's requirement, checked here before anything is made.
 */
import { badRequest, conflict, invalidParameter, type ServiceError } from '../../../errors/service-error';
import { fromTwilioError, isTwilioNotFound } from '../../../twilio/rest-errors';
import type { AdminDeps } from '../../deps';
import { twilioCall } from '../../twilio-call';
import { countryOfNumber, describeRequirement, fits } from '../../numbers/address';
import { addressesOf, addressOfMain, type AddressRecord, type NumberAddress } from './address-copy';

export interface NumberParameters {
  phoneNumberSid?: string;
  areaCode?: string;
  isoCountry?: string;
  addressSid?: string;
}

export type NumberRequest =
  | {
      kind: 'move';
      phoneNumberSid: string;
      /** Still in the main account when the call started. */
      inMain: boolean;
      address?: NumberAddress;
    }
  | {
      kind: 'buy';
      /** The offer to buy, found before anything was created. */
      phoneNumber: string;
      address?: NumberAddress;
    }
  | {
      /**
       * Nothing on offer fits, on a retry of a create whose subaccount exists: the number step answers
       * the refusal only if no earlier attempt already bought the number.
       */
      kind: 'unavailable';
      refusal: ServiceError;
    };

interface Offer {
  phoneNumber: string;
  addressRequirements: string;
}

type NumberFound =
  | { kind: 'move'; inMain?: { phoneNumber: string; addressRequirements: string } }
  | { kind: 'buy'; offers: Offer[] };

/**
 * What Twilio says about the asked number, read with the main account's credentials, and the
 * `addressSid` given when it is an Address of the main account.
 */
export type NumberLookup = (NumberFound & { mainAddress?: AddressRecord }) | undefined;

/**
 * One page of offers: enough to find one that needs no address where a country or area code has any,
 * in one request of the first round trip.
 */
const OFFERS_PER_SEARCH = 20;

/**
 * The requests that check the number, together: the number to move in main, or the offers to buy from;
 * and the Address named, in main.
 */
export async function lookUpNumber(deps: AdminDeps, parameters: NumberParameters): Promise<NumberLookup> {
  const [found, mainAddress] = await Promise.all([
    findNumber(deps, parameters),
    parameters.addressSid ? addressOfMain(deps, parameters.addressSid) : undefined,
  ]);
  return found && { ...found, ...(mainAddress ? { mainAddress } : {}) };
}

async function findNumber(deps: AdminDeps, parameters: NumberParameters): Promise<NumberFound | undefined> {
  if (parameters.phoneNumberSid) {
    try {
      const number = await deps.clients.main().incomingPhoneNumbers(parameters.phoneNumberSid).fetch();
      return {
        kind: 'move',
        inMain: { phoneNumber: number.phoneNumber, addressRequirements: number.addressRequirements },
      };
    } catch (error) {
      if (isTwilioNotFound(error)) return { kind: 'move' };
      throw fromTwilioError(error, `Fetching ${parameters.phoneNumberSid}`);
    }
  }
  if (!parameters.areaCode && !parameters.isoCountry) return undefined;
  const country = parameters.isoCountry ?? 'US';
  const offers = await twilioCall(
    `Searching a number in ${where(parameters)}`,
    deps.clients
      .main()
      .availablePhoneNumbers(country)
      .local.list({
        ...(parameters.areaCode ? { areaCode: Number(parameters.areaCode) } : {}),
        voiceEnabled: true,
        limit: OFFERS_PER_SEARCH,
      }),
  );
  return {
    kind: 'buy',
    offers: offers.map((offer) => ({
      phoneNumber: offer.phoneNumber,
      addressRequirements: offer.addressRequirements,
    })),
  };
}

/** The create a number is planned for: whether an earlier attempt ran, and its subaccount when known. */
export interface PlannedFor {
  resumed: boolean;
  /** The subaccount an earlier attempt made (journalled): its Addresses may serve the number. */
  accountSid?: string;
}

/**
 * The number step to run, or the refusal of a number that cannot be had. On a retry (`resumed`) an
 * earlier attempt may have moved or bought the number already, so what is not found is left to the
 * number step, which looks in the subaccount first; and without `addressSid`, the one Address of the
 * subaccount that fits the number's requirement is used (none exists on a first attempt: the
 * subaccount is new). An `addressSid` must fit the number: for a moved number that needs an Address
 * `local` or `foreign`, that costs a Lookup of its country, one more round trip before anything is made.
 */
export async function planNumber(
  deps: AdminDeps,
  parameters: NumberParameters,
  lookup: NumberLookup,
  planned: PlannedFor,
): Promise<NumberRequest | undefined> {
  const addresses = once(() => addressesOf(deps, planned.accountSid));
  const named = async () =>
    parameters.addressSid
      ? namedAddress(parameters.addressSid, lookup?.mainAddress, addresses, planned.accountSid)
      : undefined;
  const choices: AddressChoices = { addresses, named };
  if (lookup?.kind === 'move' && parameters.phoneNumberSid)
    return planMove(deps, parameters.phoneNumberSid, lookup, planned, choices);
  if (lookup?.kind === 'buy') return planPurchase(parameters, lookup, planned, choices);
  return undefined;
}

/** The Addresses a number may go with: those of the subaccount, and the one the caller named. */
interface AddressChoices {
  addresses: () => Promise<AddressRecord[]>;
  named: () => Promise<NumberAddress | undefined>;
}

async function planMove(
  deps: AdminDeps,
  phoneNumberSid: string,
  lookup: Extract<NumberFound, { kind: 'move' }>,
  planned: PlannedFor,
  { addresses, named }: AddressChoices,
): Promise<NumberRequest> {
  if (!lookup.inMain && !planned.resumed)
    throw invalidParameter('phoneNumberSid', 'is not a number of the main account');
  const requirement = lookup.inMain?.addressRequirements ?? 'none';
  const given = await named();
  if (given && lookup.inMain && requirement !== 'none') {
    const country =
      requirement === 'local' || requirement === 'foreign'
        ? await countryOfNumber(deps, lookup.inMain.phoneNumber)()
        : null;
    if (!fits(requirement, country, given.address.isoCountry))
      throw notFitting(given.address, requirement, country);
  }
  // A number's own country is not in the IncomingPhoneNumber resource: only `any` can be matched here.
  const address = given ?? (requirement === 'none' ? undefined : fitting(await addresses(), requirement));
  if (requirement !== 'none' && !address) {
    throw badRequest(
      'address_required',
      `phoneNumberSid: ${phoneNumberSid} needs an Address (${requirement}) in the gaining account (Twilio error 21613). Give addressSid (an Address of the main account, copied into the subaccount), or create the subaccount without the number, add an Address to it, then move the number with /admin/numbers/transfer.`,
      { parameter: 'phoneNumberSid', addressRequirements: requirement },
    );
  }
  return { kind: 'move', phoneNumberSid, inMain: Boolean(lookup.inMain), ...(address ? { address } : {}) };
}

async function planPurchase(
  parameters: NumberParameters,
  lookup: Extract<NumberFound, { kind: 'buy' }>,
  planned: PlannedFor,
  { addresses, named }: AddressChoices,
): Promise<NumberRequest> {
  const given = await named();
  const country = parameters.isoCountry ?? 'US';
  if (given) {
    const offer = lookup.offers.find((candidate) =>
      fits(candidate.addressRequirements, country, given.address.isoCountry),
    );
    if (offer) return { kind: 'buy', phoneNumber: offer.phoneNumber, address: given };
  } else {
    const free = lookup.offers.find((offer) => offer.addressRequirements === 'none');
    if (free) return { kind: 'buy', phoneNumber: free.phoneNumber };
    for (const offer of lookup.offers) {
      const address = fitting(await addresses(), offer.addressRequirements, country);
      if (address) return { kind: 'buy', phoneNumber: offer.phoneNumber, address };
    }
  }
  const refusal =
    given && lookup.offers.length > 0
      ? notFitting(given.address, requirementsOf(lookup.offers), country)
      : noOfferFits(parameters, lookup.offers);
  if (!planned.resumed) throw refusal;
  return { kind: 'unavailable', refusal };
}

/**
 * The Address `addressSid` names: one of the main account's is copied into the subaccount; one of the
 * subaccount's own (a finishing retry may name the copy, or one added there) is used as it is.
 */
async function namedAddress(
  addressSid: string,
  mainAddress: AddressRecord | undefined,
  addresses: () => Promise<AddressRecord[]>,
  accountSid: string | undefined,
): Promise<NumberAddress> {
  if (mainAddress) return { kind: 'copy', address: mainAddress };
  const own = (await addresses()).find((address) => address.sid === addressSid);
  if (own) return { kind: 'own', address: own };
  throw badRequest(
    'address_not_compliant',
    `addressSid: ${addressSid} is not an Address of the main account${accountSid ? ` or of ${accountSid}` : ''}; name one kept in the main account (it is copied into the new subaccount).`,
    { parameter: 'addressSid' },
  );
}

function notFitting(address: AddressRecord, requirement: string, numberCountry: string | null): ServiceError {
  return badRequest(
    'address_not_compliant',
    `addressSid: ${address.sid} (${address.isoCountry}) does not fit the number, which needs ${describeRequirement(requirement, numberCountry)}; name another Address.`,
    { parameter: 'addressSid', requirement, isoCountry: numberCountry },
  );
}

/**
 * The one Address that meets `requirement` (none, any, local: in the number's country, foreign:
 * outside it), or undefined when none or several do: then the caller must choose.
 * https://www.twilio.com/docs/phone-numbers/api/availablephonenumberlocal-resource (address_requirements)
 */
function fitting(
  addresses: AddressRecord[],
  requirement: string,
  numberCountry?: string,
): NumberAddress | undefined {
  const fitting = addresses.filter((address) => fits(requirement, numberCountry ?? null, address.isoCountry));
  const [only] = fitting;
  return fitting.length === 1 && only ? { kind: 'own', address: only } : undefined;
}

function once<T>(read: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= read());
}

const requirementsOf = (offers: Offer[]): string =>
  [...new Set(offers.map((offer) => offer.addressRequirements))].join(', ');

function noOfferFits(parameters: NumberParameters, offers: Offer[]): ServiceError {
  if (offers.length === 0) {
    return conflict(
      'no_number_available',
      `No number is on offer in ${where(parameters)}; ask for another areaCode or isoCountry.`,
      { parameter: parameters.areaCode ? 'areaCode' : 'isoCountry' },
    );
  }
  const requirements = requirementsOf(offers);
  return badRequest(
    'address_required',
    `The numbers on offer in ${where(parameters)} need an Address (${requirements}), which Twilio requires in the purchase (error 21631): give addressSid, or ask for another areaCode or isoCountry.`,
    { parameter: 'addressSid', addressRequirements: requirements },
  );
}

function where(parameters: NumberParameters): string {
  const country = parameters.isoCountry ?? 'US';
  return parameters.areaCode ? `${country} area code ${parameters.areaCode}` : country;
}
