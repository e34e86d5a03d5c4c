import type { Handlers } from '../../context';
import { nowIso, rfc2822 } from '../../rest/dates';
import { newSid } from '../../rest/ids';
import { pageV2010 } from '../../rest/paging';
import type { Address } from '../../state/types';
import { ownedBy, pathAccountSid } from './account-scope';
import { accountUri } from './uris';

const addressJson = (address: Address) => ({
  account_sid: address.accountSid,
  sid: address.sid,
  customer_name: address.customerName,
  street: address.street,
  street_secondary: address.streetSecondary,
  city: address.city,
  region: address.region,
  postal_code: address.postalCode,
  iso_country: address.isoCountry,
  friendly_name: address.friendlyName,
  emergency_enabled: false,
  // The sandbox validates nothing: an address is taken as filed (AutoCorrectAddress has no effect).
  validated: false,
  verified: false,
  date_created: rfc2822(address.dateCreated),
  date_updated: rfc2822(address.dateCreated),
  uri: `${accountUri(address.accountSid)}/Addresses/${address.sid}.json`,
});

/**
 * Addresses exist only so that number purchases and transfers can meet address requirements. The spec
 * check refuses a create without CustomerName, Street, City, Region, PostalCode and IsoCountry, as
 * Twilio does (https://www.twilio.com/docs/usage/api/address).
 */
export const addressHandlers: Handlers = {
  CreateAddress: (context) => {
    const field = (name: string) => context.body.get(name) ?? '';
    const address: Address = {
      sid: newSid('AD'),
      accountSid: pathAccountSid(context),
      customerName: field('CustomerName'),
      street: field('Street'),
      streetSecondary: context.body.get('StreetSecondary'),
      city: field('City'),
      region: field('Region'),
      postalCode: field('PostalCode'),
      isoCountry: field('IsoCountry'),
      friendlyName: context.body.get('FriendlyName'),
      dateCreated: nowIso(),
    };
    context.state.addresses.push(address);
    return { status: 201, body: addressJson(address) };
  },

  FetchAddress: (context) => ({
    status: 200,
    body: addressJson(ownedBy(context, context.state.addresses, pathAccountSid(context))),
  }),

  ListAddress: (context) => {
    const accountSid = pathAccountSid(context);
    const addresses = context.state.addresses.filter((a) => a.accountSid === accountSid).map(addressJson);
    return { status: 200, body: pageV2010(addresses, context, 'addresses') };
  },
};
