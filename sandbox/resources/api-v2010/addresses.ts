import type { Handlers } from '../../context';
import { newSid } from '../../ids';
import { pageV2010 } from '../../paging';
import type { Address } from '../../state/types';
import { pathAccountSid } from './account-scope';
import { accountUri } from './uris';

const addressJson = (address: Address) => ({
  account_sid: address.accountSid,
  sid: address.sid,
  customer_name: address.customerName,
  iso_country: address.isoCountry,
  uri: `${accountUri(address.accountSid)}/Addresses/${address.sid}.json`,
});

/** Addresses exist only so that number purchases and transfers can meet address requirements. */
export const addressHandlers: Handlers = {
  CreateAddress: (context) => {
    const address: Address = {
      sid: newSid('AD'),
      accountSid: pathAccountSid(context),
      customerName: context.body.get('CustomerName') ?? '',
      isoCountry: context.body.get('IsoCountry') ?? 'US',
    };
    context.state.addresses.push(address);
    return { status: 201, body: addressJson(address) };
  },

  ListAddress: (context) => {
    const accountSid = pathAccountSid(context);
    const addresses = context.state.addresses.filter((a) => a.accountSid === accountSid).map(addressJson);
    return { status: 200, body: pageV2010(addresses, context, 'addresses') };
  },
};
