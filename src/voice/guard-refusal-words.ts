import type { GuardRefusal, NumberType } from '../toll-fraud/destination-guard';

/**
 * The one wording of the toll-fraud guard's refusals: said at /voice before it hangs up, and shown by
 * the softphone before it dials, so the caller hears and reads the same reason.
 */
export function guardRefusalSentence(refusal: GuardRefusal): string {
  if (refusal.reason === 'number_type') {
    return `Calls to ${TYPE_WORDS[refusal.numberType]} are not allowed from this account.`;
  }
  if (!refusal.country) {
    return 'Calls to numbers that belong to no country, such as satellite phones, are not allowed from this account.';
  }
  return `Calls to ${countryName(refusal.country)} numbers are not allowed from this account.`;
}

const TYPE_WORDS: Record<NumberType, string> = {
  premium_rate: 'premium-rate numbers',
  toll_free: 'toll-free numbers',
  shared_cost: 'shared-cost numbers',
  voip: 'internet phone numbers',
  personal_number: 'personal numbers',
  pager: 'pagers',
  uan: 'universal access numbers',
  voicemail: 'voicemail access numbers',
  fixed_line: 'landlines',
  mobile: 'mobile numbers',
  fixed_line_or_mobile: 'landline or mobile numbers',
  unknown: 'numbers not recognised as valid',
};

let regionNames: Intl.DisplayNames | undefined;

/** "Jamaica" for JM, in English as the spoken TwiML is; the code itself where no name is known. */
function countryName(code: string): string {
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}
