export const accountUri = (accountSid: string): string => `/2010-04-01/Accounts/${accountSid}`;

/** Reads a form field that clears a value when sent empty, as Twilio treats `VoiceUrl=`. */
export function optionalField(body: URLSearchParams, name: string, current: string | null): string | null {
  if (!body.has(name)) return current;
  return body.get(name) || null;
}

/** The call and message handling fields that Applications and IncomingPhoneNumbers share. */
export interface VoiceSmsHandling {
  friendlyName: string;
  voiceUrl: string | null;
  voiceMethod: string;
  smsUrl: string | null;
  smsMethod: string;
  statusCallback: string | null;
}

/** Applies those fields from a create or update request, as Twilio does for both resources. */
export function applyVoiceSmsHandling(target: VoiceSmsHandling, body: URLSearchParams): void {
  target.friendlyName = body.get('FriendlyName') ?? target.friendlyName;
  target.voiceUrl = optionalField(body, 'VoiceUrl', target.voiceUrl);
  target.voiceMethod = body.get('VoiceMethod')?.toUpperCase() ?? target.voiceMethod;
  target.smsUrl = optionalField(body, 'SmsUrl', target.smsUrl);
  target.smsMethod = body.get('SmsMethod')?.toUpperCase() ?? target.smsMethod;
  target.statusCallback = optionalField(body, 'StatusCallback', target.statusCallback);
}
