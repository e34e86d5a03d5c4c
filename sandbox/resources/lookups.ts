import type { Handlers } from '../context';
import { friendlyNumber } from './api-v2010/incoming-phone-numbers';

const BASE = 'https://lookups.twilio.com/v2';

/**
 * Lookup v2's basic lookup (free, no data packages): the country of a number. The sandbox knows the
 * country of the numbers it hands out; any other +1 number is taken as US, anything else as unknown.
 */
export const lookupHandlers: Handlers = {
  FetchPhoneNumber: ({ state, params }) => {
    const phoneNumber = decodeURIComponent(params.PhoneNumber ?? '');
    const known =
      state.incomingPhoneNumbers.find((n) => n.phoneNumber === phoneNumber) ??
      state.availableNumbers.find((n) => n.phoneNumber === phoneNumber);
    const country = known?.isoCountry ?? (/^\+1\d{10}$/.test(phoneNumber) ? 'US' : null);
    return {
      status: 200,
      body: {
        calling_country_code: country === null ? null : phoneNumber.startsWith('+1') ? '1' : null,
        country_code: country,
        phone_number: phoneNumber,
        national_format: country === null ? null : friendlyNumber(phoneNumber),
        valid: country !== null,
        validation_errors: country === null ? ['NOT_A_NUMBER'] : null,
        caller_name: null,
        sim_swap: null,
        call_forwarding: null,
        line_status: null,
        line_type_intelligence: null,
        identity_match: null,
        reassigned_number: null,
        sms_pumping_risk: null,
        phone_number_quality_score: null,
        pre_fill: null,
        url: `${BASE}/PhoneNumbers/${encodeURIComponent(phoneNumber)}`,
      },
    };
  },
};
