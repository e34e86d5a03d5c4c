export const accountUri = (accountSid: string): string => `/2010-04-01/Accounts/${accountSid}`;

/** Reads a form field that clears a value when sent empty, as Twilio treats `VoiceUrl=`. */
export function optionalField(body: URLSearchParams, name: string, current: string | null): string | null {
  if (!body.has(name)) return current;
  return body.get(name) || null;
}
