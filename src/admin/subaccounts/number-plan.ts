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
 *   https://www.twilio.com/docs/usage/api/address . Whether Twilio accepts an Address of the main account
 *   for a subaccount's number is not documented: an `addressSid` is passed on as given and Twilio judges
 *   it; if Twilio refuses, the subaccount stays `provisioning` with Twilio's reason, and a retry with
 *   the same idempotencyKey may name another Address (one created in the subaccount).
 */
import { badRequest, conflict, invalidParameter, type ServiceError } from '../../errors/service-error';
import { fromTwilioError, isTwilioNotFound } from '../../twilio/rest-errors';
import type { AdminDeps } from '../deps';
import { twilioCall } from '../twilio-call';
import { fits } from '../numbers/address';

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
      addressSid?: string;
    }
  | {
      kind: 'buy';
      /** The offer to buy, found before anything was created. */
      phoneNumber: string;
      addressSid?: string;
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

/** What Twilio says about the asked number, read with the main account's credentials. */
export type NumberLookup =
  { kind: 'move'; inMain?: { addressRequirements: string } } | { kind: 'buy'; offers: Offer[] } | undefined;

/**
 * One page of offers: enough to find one that needs no address where a country or area code has any,
 * in one request of the first round trip.
 */
const OFFERS_PER_SEARCH = 20;

/** The one request that checks the number: the number to move in main, or the offers to buy from. */
export async function lookUpNumber(deps: AdminDeps, parameters: NumberParameters): Promise<NumberLookup> {
  if (parameters.phoneNumberSid) {
    try {
      const number = await deps.clients.main().incomingPhoneNumbers(parameters.phoneNumberSid).fetch();
      return { kind: 'move', inMain: { addressRequirements: number.addressRequirements } };
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
 * subaccount is new).
 */
export async function planNumber(
  deps: AdminDeps,
  parameters: NumberParameters,
  lookup: NumberLookup,
  planned: PlannedFor,
): Promise<NumberRequest | undefined> {
  const { resumed } = planned;
  const addresses = once(() => addressesOf(deps, planned.accountSid));
  if (lookup?.kind === 'move' && parameters.phoneNumberSid) {
    if (!lookup.inMain && !resumed)
      throw invalidParameter('phoneNumberSid', 'is not a number of the main account');
    const requirement = lookup.inMain?.addressRequirements ?? 'none';
    // A number's own country is not in the IncomingPhoneNumber resource: only `any` can be matched here.
    const addressSid =
      parameters.addressSid ?? (requirement === 'none' ? undefined : fitting(await addresses(), requirement));
    if (requirement !== 'none' && !addressSid) {
      throw badRequest(
        'address_required',
        `phoneNumberSid: ${parameters.phoneNumberSid} needs an Address (${requirement}) in the gaining account (Twilio error 21613). Give addressSid, or create the subaccount without the number, add an Address to it, then move the number with /admin/numbers/transfer.`,
        { parameter: 'phoneNumberSid', addressRequirements: requirement },
      );
    }
    return {
      kind: 'move',
      phoneNumberSid: parameters.phoneNumberSid,
      inMain: Boolean(lookup.inMain),
      ...(addressSid ? { addressSid } : {}),
    };
  }
  if (lookup?.kind !== 'buy') return undefined;
  const given = parameters.addressSid;
  const free = lookup.offers.find((offer) => offer.addressRequirements === 'none' || given);
  if (free) return { kind: 'buy', phoneNumber: free.phoneNumber, ...(given ? { addressSid: given } : {}) };
  const country = parameters.isoCountry ?? 'US';
  for (const offer of lookup.offers) {
    const addressSid = fitting(await addresses(), offer.addressRequirements, country);
    if (addressSid) return { kind: 'buy', phoneNumber: offer.phoneNumber, addressSid };
  }
  const refusal = noOfferFits(parameters, lookup.offers);
  if (!resumed) throw refusal;
  return { kind: 'unavailable', refusal };
}

interface AddressOnFile {
  sid: string;
  isoCountry: string;
}

/** Bounds the search: a subaccount of one customer holds a few Addresses; more than this, name one. */
const ADDRESSES_SEARCHED = 20;

async function addressesOf(deps: AdminDeps, accountSid: string | undefined): Promise<AddressOnFile[]> {
  if (!accountSid) return [];
  const found = await twilioCall(
    `Listing the Addresses of ${accountSid}`,
    deps.clients.actingOn(accountSid).addresses.list({ limit: ADDRESSES_SEARCHED }),
  );
  return found.map((address) => ({ sid: address.sid, isoCountry: address.isoCountry }));
}

/**
 * The one Address that meets `requirement` (none, any, local: in the number's country, foreign:
 * outside it), or undefined when none or several do: then the caller must choose.
 * https://www.twilio.com/docs/phone-numbers/api/availablephonenumberlocal-resource (address_requirements)
 */
function fitting(
  addresses: AddressOnFile[],
  requirement: string,
  numberCountry?: string,
): string | undefined {
  const fitting = addresses.filter((address) => fits(requirement, numberCountry ?? null, address.isoCountry));
  return fitting.length === 1 ? fitting[0]?.sid : undefined;
}

function once<T>(read: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= read());
}

function noOfferFits(parameters: NumberParameters, offers: Offer[]): ServiceError {
  if (offers.length === 0) {
    return conflict(
      'no_number_available',
      `No number is on offer in ${where(parameters)}; ask for another areaCode or isoCountry.`,
      { parameter: parameters.areaCode ? 'areaCode' : 'isoCountry' },
    );
  }
  const requirements = [...new Set(offers.map((offer) => offer.addressRequirements))].join(', ');
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
