import type { TwilioResponse } from '@twilio-labs/serverless-runtime-types/types';
// The TwiML builder module alone: the `twilio` package root would load the whole REST client.
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';

/**
 * Every TwiML document the voice webhooks answer, built with Twilio's own VoiceResponse (it escapes
 * text and attributes). Each function returns the XML text: the runtime recognises TwiML objects only
 * when they come from its own copy of `twilio`, so answers travel as text (see `twimlResponse`).
 */

/** Seconds a routed client rings before the call goes to voicemail. */
export const RING_TIMEOUT_SECONDS = 20;
/** Longest voicemail, in seconds. */
const VOICEMAIL_MAX_SECONDS = 120;

/** Recording settings shared by every `<Dial>` of a subaccount that records calls. */
export interface DialRecording {
  recordingStatusCallback: string;
}

export interface NumberDial {
  number: string;
  callerId: string;
  recording?: DialRecording;
}

export interface ClientsDial {
  identities: readonly string[];
  /** Where Twilio reports the outcome (and so where voicemail starts); none for a client-to-client call. */
  action?: string;
  timeout?: number;
  recording?: DialRecording;
  /** Handed to each ringing browser as the SDK call's customParameters (`<Client><Parameter>`). */
  parameters?: Record<string, string>;
}

export function dialNumber({ number, callerId, recording }: NumberDial): string {
  const response = new VoiceResponse();
  response.dial({ callerId, answerOnBridge: true, ...recordingAttributes(recording) }).number(number);
  return response.toString();
}

export function dialClients({ identities, action, timeout, recording, parameters }: ClientsDial): string {
  const response = new VoiceResponse();
  const dial = response.dial({
    answerOnBridge: true,
    ...(action ? { action, method: 'POST' } : {}),
    ...(timeout ? { timeout } : {}),
    ...recordingAttributes(recording),
  });
  for (const identity of identities) {
    if (!parameters) {
      dial.client(identity);
      continue;
    }
    // Parameters need the long form: https://www.twilio.com/docs/voice/twiml/client (<Identity>, <Parameter>).
    const client = dial.client();
    client.identity(identity);
    for (const [name, value] of Object.entries(parameters)) client.parameter({ name, value });
  }
  return response.toString();
}

/** Dual-channel (caller and callee on separate channels) from the moment the call is answered. */
function recordingAttributes(recording: DialRecording | undefined) {
  if (!recording) return {};
  return {
    record: 'record-from-answer-dual' as const,
    recordingStatusCallback: recording.recordingStatusCallback,
    recordingStatusCallbackMethod: 'POST',
    recordingStatusCallbackEvent: ['completed' as const],
  };
}

/** Voicemail: a prompt, then up to VOICEMAIL_MAX_SECONDS of recording; silence ends the call. */
export function voicemail(options: { action: string; recordingStatusCallback: string }): string {
  const response = new VoiceResponse();
  response.say('Nobody can take your call right now. Please leave a message after the tone.');
  response.record({
    action: options.action,
    method: 'POST',
    maxLength: VOICEMAIL_MAX_SECONDS,
    playBeep: true,
    recordingStatusCallback: options.recordingStatusCallback,
    recordingStatusCallbackMethod: 'POST',
    recordingStatusCallbackEvent: ['completed'],
  });
  // Reached only when nothing was recorded: Twilio then goes on with the next verb.
  response.say('No message was recorded. Goodbye.');
  response.hangup();
  return response.toString();
}

/** Tells the caller something and ends the call: refusals, "nobody is available", thanks. */
export function sayAndHangUp(message: string): string {
  const response = new VoiceResponse();
  response.say(message);
  response.hangup();
  return response.toString();
}

export function hangUp(): string {
  const response = new VoiceResponse();
  response.hangup();
  return response.toString();
}

/** Refuses a call before it is answered (the caller hears the number is not in service; no charge). */
export function reject(): string {
  const response = new VoiceResponse();
  response.reject({ reason: 'rejected' });
  return response.toString();
}

/** An empty document: acknowledges a status callback that has nothing to say to the call. */
export function emptyResponse(): string {
  return new VoiceResponse().toString();
}

/** What a caller hears when the service fails: never an error page, which Twilio would read out as a failure. */
export const APOLOGY = 'Sorry, we cannot connect your call right now. Please try again later.';

export function apology(): string {
  return sayAndHangUp(APOLOGY);
}

/** TwiML as a Functions answer: the XML text, typed as XML, never cached. */
export function twimlResponse(xml: string): TwilioResponse {
  const response = new Twilio.Response();
  response.setStatusCode(200);
  // Two appends rather than setHeaders: no headers object to build and walk on every call.
  response.appendHeader('Content-Type', 'text/xml; charset=utf-8');
  response.appendHeader('Cache-Control', 'no-store');
  response.setBody(xml);
  return response;
}
