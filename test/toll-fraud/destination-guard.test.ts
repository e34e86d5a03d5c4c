import { callingPolicyOf } from '../../src/toll-fraud/calling-policy';
import {
  DEFAULT_BLOCKED_NUMBER_TYPES,
  checkDestination,
  type CallingPolicy,
} from '../../src/toll-fraud/destination-guard';
import { guardRefusalSentence } from '../../src/voice/guard-refusal-words';
import { countriesForPrefixes } from '../../src/registry/dialling-prefix-migration';

const US_DEFAULT: CallingPolicy = {
  allowedCountries: ['US'],
  blockedNumberTypes: DEFAULT_BLOCKED_NUMBER_TYPES,
};

describe('the toll-fraud guard', () => {
  it('refuses premium-rate US numbers and the Caribbean countries that share +1', () => {
    expect(checkDestination('+19005550123', US_DEFAULT)).toEqual({
      reason: 'number_type',
      numberType: 'premium_rate',
    });
    expect(checkDestination('+18765550123', US_DEFAULT)).toEqual({ reason: 'country', country: 'JM' });
    expect(checkDestination('+18095550123', US_DEFAULT)).toEqual({ reason: 'country', country: 'DO' });
    expect(checkDestination('+12845550123', US_DEFAULT)).toEqual({ reason: 'country', country: 'VG' });
  });

  it('lets ordinary US numbers through, toll-free included', () => {
    for (const number of ['+14155550199', '+12125551234', '+18005550123']) {
      expect(checkDestination(number, US_DEFAULT)).toBeUndefined();
    }
  });

  it('allows a country once listed, and a type once no longer blocked', () => {
    const wider: CallingPolicy = { allowedCountries: ['US', 'JM', 'GB'], blockedNumberTypes: ['mobile'] };
    expect(checkDestination('+18765550123', wider)).toEqual({ reason: 'number_type', numberType: 'mobile' });
    expect(checkDestination('+442071838750', wider)).toBeUndefined();
    expect(checkDestination('+19005550123', wider)).toBeUndefined();
  });

  it('blocks numbers libphonenumber does not recognise as valid by default', () => {
    // 555-01xx is valid in the plan; an area code that does not exist is not.
    expect(checkDestination('+11115550123', US_DEFAULT)).toEqual({
      reason: 'number_type',
      numberType: 'unknown',
    });
  });

  it('never lets malformed input or a number of no country through, whatever the policy', () => {
    const lenient: CallingPolicy = { allowedCountries: ['US'], blockedNumberTypes: [] };
    for (const input of [
      '',
      '+',
      '1',
      'abc',
      '+1',
      '+999',
      '14155550199',
      '+882345678901',
      '+870123456789',
      ' +1415',
    ]) {
      expect(checkDestination(input, lenient)).toEqual({ reason: 'country', country: undefined });
    }
    expect(checkDestination('+14155550199', { allowedCountries: [], blockedNumberTypes: [] })).toEqual({
      reason: 'country',
      country: 'US',
    });
  });

  it('answers the same from its cache as from a first parse', () => {
    expect(checkDestination('+18765550123', US_DEFAULT)).toEqual(
      checkDestination('+18765550123', US_DEFAULT),
    );
  });
});

describe('the refusal in words', () => {
  it('names the country or the type', () => {
    expect(guardRefusalSentence({ reason: 'country', country: 'JM' })).toBe(
      'Calls to Jamaica numbers are not allowed from this account.',
    );
    expect(guardRefusalSentence({ reason: 'number_type', numberType: 'premium_rate' })).toBe(
      'Calls to premium-rate numbers are not allowed from this account.',
    );
    expect(guardRefusalSentence({ reason: 'country', country: undefined })).toMatch(/belong to no country/);
  });
});

describe("a subaccount's default guard", () => {
  it("is its caller ID's country, US without one, and the default blocked types", () => {
    expect(callingPolicyOf({ callerId: '+14155550100' }).allowedCountries).toEqual(['US']);
    expect(callingPolicyOf({ callerId: '+442071838750' }).allowedCountries).toEqual(['GB']);
    expect(callingPolicyOf({ callerId: '+14165550123' }).allowedCountries).toEqual(['CA']);
    expect(callingPolicyOf({ callerId: null })).toEqual(US_DEFAULT);
    expect(callingPolicyOf({ callerId: '+14155550100', allowedCountries: [] }).allowedCountries).toEqual([]);
  });
});

describe('dialling prefixes read as countries (items written before the country guard)', () => {
  it.each([
    [['+1'], '+14155550100', ['US']],
    [['+1'], '+14165550123', ['US', 'CA']],
    [['+1'], null, ['US']],
    [['+1', '+44'], null, ['US', 'GB']],
    [['+1876'], null, ['JM']],
    [['+1809', '+1212'], null, ['DO', 'US']],
    [['+4420'], null, ['GB']],
    [['+882', '+999', '', '1', '+'], null, []],
    [[], null, []],
  ])('%j with caller ID %s is %j', (prefixes, callerId, countries) => {
    expect(countriesForPrefixes(prefixes, callerId)).toEqual(countries);
  });
});
