import {
  DEFAULT_BLOCKED_NUMBER_TYPES,
  countryOfNumber,
  type CallingPolicy,
  type NumberType,
} from './destination-guard';

/**
 * Where a subaccount without a caller ID (and the main account, which has none) may call unless told
 * otherwise. Which countries a new Twilio account has enabled in its geo permissions could not be
 * confirmed in Twilio's documentation (it speaks of enabling the signup's own country,
 * https://www.twilio.com/blog/blog-voice-dialing-geo-permissions-rest-api); one country is the safe
 * default, and this service's numbers are bought in the US unless asked otherwise.
 */
export const FALLBACK_COUNTRY = 'US';

/** A subaccount's guard settings as its registry item holds them: absent means the default. */
export interface CallingSettings {
  allowedCountries?: readonly string[] | undefined;
  blockedNumberTypes?: readonly NumberType[] | undefined;
  callerId: string | null;
  /** The caller ID's country as the registry item keeps it, when it does (registry/schema.ts). */
  callerCountry?: string | undefined;
}

/**
 * The guard a subaccount's calls are held to: its own lists, or by default the country of its caller
 * ID (following the caller ID while the list is unset; FALLBACK_COUNTRY without one) and the default
 * blocked types.
 */
export function callingPolicyOf(settings: CallingSettings): CallingPolicy {
  return {
    // The caller ID's country only when the list is unset, as the item keeps it; worked out here only for
    // an item written without it, since finding it loads the numbering metadata.
    allowedCountries: settings.allowedCountries ?? [
      settings.callerCountry ??
        (settings.callerId ? countryOfNumber(settings.callerId) : undefined) ??
        FALLBACK_COUNTRY,
    ],
    blockedNumberTypes: settings.blockedNumberTypes ?? DEFAULT_BLOCKED_NUMBER_TYPES,
  };
}
