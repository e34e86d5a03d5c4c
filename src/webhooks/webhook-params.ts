/**
 * The parameters of a voice webhook, taken from the event only when Twilio could have sent them.
 *
 * Twilio documents what it posts to a voice webhook: the call's own parameters (CallSid, AccountSid,
 * From, To, CallStatus, ApiVersion, Direction, ForwardedFrom, CallerName, ParentCallSid, CallToken),
 * up to sixteen geographic ones (FromCity ... ToCountry and the older CallerCity ... CalledCountry,
 * with Caller and Called), then, by callback, a handful more: a <Dial> action adds DialCallStatus,
 * DialCallSid, DialCallDuration, DialBridged and the recording fields; a recording status callback
 * posts about a dozen (RecordingSid, RecordingUrl, RecordingStatus, RecordingDuration,
 * RecordingChannels, RecordingSource, RecordingStartTime, RecordingTrack, ErrorCode, ...); a browser
 * call adds ApplicationSid and the few parameters our softphone passes to `connect` (To).
 * https://www.twilio.com/docs/voice/twiml#request-parameters ("TwiML Voice: Twilio's request",
 * https://www.twilio.com/docs/api/twiml/twilio_request), https://www.twilio.com/docs/voice/twiml/dial#action,
 * https://www.twilio.com/docs/voice/twiml/dial#recordingstatuscallback. That is fewer than 50 in any one
 * request; Twilio's pages give no maximum, and STIR/SHAKEN or SIP-header parameters Twilio may add
 * over time are not all listed there (not confirmed), hence a cap of twice that.
 *
 * Twilio never repeats a voice webhook parameter (every one above is a single value), so a repeated
 * one (an array in the event, from the query or the body) cannot come from Twilio. Refusing it here
 * matters: Twilio's signature format folds repeated values into the signed text (its validator even
 * drops duplicates), so `From=client:alice` appended to a genuine request would still verify while the
 * handler read a different `From`. A name both in the query and the body cannot be seen: the runtime
 * merges them (`{ ...query, ...body }`) keeping only the body's value, which is the signed one.
 */

/** At most this many parameters: twice the ~45 Twilio sends in its largest voice webhook (above). */
export const MAX_WEBHOOK_PARAMS = 100;
/**
 * At most this many characters in all names and values together. Twilio's values are SIDs, numbers,
 * statuses, URLs and place names (tens of characters), the longest a CallToken or a STIR PASSporT of
 * one or two kilobytes; 32 Ki characters is several times the largest plausible request and bounds the
 * HMAC input (two HMAC-SHA1 over 32 KiB take well under a millisecond), so checking a request, genuine
 * or forged, stays a vanishing part of a Function's 10 s and never holds up the requests beside it.
 */
export const MAX_WEBHOOK_CHARS = 32 * 1024;

export type WebhookParams = Readonly<Record<string, string>>;

/**
 * The event's parameters (without the runtime's own `request` entry) as the text Twilio posted, or
 * undefined when Twilio could not have sent them: more than MAX_WEBHOOK_PARAMS parameters or
 * MAX_WEBHOOK_CHARS characters, a repeated parameter, or any value that is not text (a nested object
 * from `a[b]=` syntax). One pass that stops at the first excess, so its cost is bounded by the caps,
 * never by what the request carries.
 */
export function webhookParamsOf(event: Readonly<Record<string, unknown>>): WebhookParams | undefined {
  // A plain object (a null-prototype one is slower to sort and read); a "__proto__" name cannot be
  // set on it, so such a request simply fails to verify, as it could not come from Twilio.
  const params: Record<string, string> = {};
  let count = 0;
  let chars = 0;
  for (const name in event) {
    if (name === 'request' || !Object.hasOwn(event, name)) continue;
    const value = event[name];
    if (typeof value !== 'string') return undefined;
    count += 1;
    chars += name.length + value.length;
    if (count > MAX_WEBHOOK_PARAMS || chars > MAX_WEBHOOK_CHARS) return undefined;
    params[name] = value;
  }
  return params;
}
