/**
 * What the sandbox charges for simulated activity, in USD, as decimal strings (Twilio's own prices are
 * strings, and sums of them must not go through floats). The rates are Twilio's published US list
 * prices at the time of writing (https://www.twilio.com/en-us/voice/pricing/us: receive on a local
 * number, make a call, Voice SDK legs, recording minutes; a local number per month), not an account's
 * negotiated prices. Twilio bills the SDK leg of a browser call at the client rate and the leg to the
 * phone network at the standard rate
 * (https://support.twilio.com/hc/en-us/articles/223180608-How-Does-Twilio-Voice-JavaScript-and-Mobile-SDK-Pricing-Work).
 * Rates change; the sandbox holds one set so tests and usage views have fixed numbers to check.
 */
export const SANDBOX_PRICES = {
  currency: 'USD',
  /** Per started minute of an inbound call to a local number (`calls-inbound-local`). */
  inboundLocalPerMinute: '0.0085',
  /** Per started minute of a call to the phone network (`calls-outbound`). */
  outboundPerMinute: '0.0140',
  /** Per started minute of a Voice SDK leg (`calls-client`). */
  clientPerMinute: '0.0040',
  /** Per started minute of recording (`recordings`). */
  recordingPerMinute: '0.0025',
  /** Per local number per month (`phonenumbers-local`). */
  localNumberPerMonth: '1.1500',
} as const;

/** Twilio bills voice and recordings per started minute. */
export function billedMinutes(seconds: number): number {
  return Math.ceil(Math.max(0, seconds) / 60);
}
