import type { Handlers } from '../../context';
import { pageV2010 } from '../../rest/paging';
import type { AvailableNumber } from '../../state/types';
import { pathAccountSid } from './account-scope';
import { accountUri } from './uris';
import { friendlyNumber } from './incoming-phone-numbers';

const availableJson = (number: AvailableNumber) => ({
  friendly_name: friendlyNumber(number.phoneNumber),
  phone_number: number.phoneNumber,
  lata: null,
  locality: number.locality,
  rate_center: null,
  latitude: null,
  longitude: null,
  region: number.region,
  postal_code: null,
  iso_country: number.isoCountry,
  address_requirements: number.addressRequirements,
  beta: false,
  capabilities: { voice: true, SMS: true, MMS: true },
});

export const availablePhoneNumberHandlers: Handlers = {
  ListAvailablePhoneNumberLocal: (context) => {
    const { query, params, state } = context;
    pathAccountSid(context);
    const areaCode = query.get('AreaCode');
    const contains = query.get('Contains');
    const excluded = (requirement: string) =>
      (query.get('ExcludeAllAddressRequired') === 'true' && requirement !== 'none') ||
      (query.get('ExcludeLocalAddressRequired') === 'true' && requirement === 'local') ||
      (query.get('ExcludeForeignAddressRequired') === 'true' && requirement === 'foreign');
    const offers = state.availableNumbers.filter(
      (n) =>
        n.isoCountry === params.CountryCode &&
        (areaCode === null || n.phoneNumber.startsWith(`+1${areaCode}`)) &&
        (contains === null || n.phoneNumber.includes(contains)) &&
        !excluded(n.addressRequirements),
    );
    return { status: 200, body: pageV2010(offers.map(availableJson), context, 'available_phone_numbers') };
  },

  FetchAvailablePhoneNumberCountry: (context) => {
    const accountSid = pathAccountSid(context);
    const country = context.params.CountryCode ?? '';
    const base = `${accountUri(accountSid)}/AvailablePhoneNumbers/${country}`;
    return {
      status: 200,
      body: {
        country_code: country,
        country,
        uri: `${base}.json`,
        beta: false,
        subresource_uris: { local: `${base}/Local.json` },
      },
    };
  },
};
