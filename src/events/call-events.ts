import type { VoiceRequest } from '../voice/voice-webhook';
import { emitEvent } from './emit';

/**
 * `call.completed` when a `<Dial>` of an inbound call has ended (the Dial-outcome callback carries
 * `DialCallStatus`; the voicemail's own `<Record action>` comes back to it without one and is not a
 * call). Twilio prices a call after it ends and puts no price in this callback
 * (https://www.twilio.com/docs/voice/twiml/dial#action): `price` is filled in only if Twilio ever sends
 * one, and is otherwise null (the call's price is in `/admin/usage` later).
 */
export async function emitCallCompleted(request: VoiceRequest): Promise<void> {
  const { param } = request;
  const dialCallStatus = param('DialCallStatus');
  if (dialCallStatus === undefined) return;
  await emitEvent(eventDeps(request), 'call.completed', request.policy.accountSid, {
    callSid: param('CallSid') ?? null,
    dialCallSid: param('DialCallSid') ?? null,
    from: param('From') ?? null,
    to: param('To') ?? null,
    direction: param('Direction') ?? null,
    dialCallStatus,
    durationSeconds: wholeNumber(param('DialCallDuration')),
    price: param('Price') ?? null,
    priceUnit: param('PriceUnit') ?? null,
  });
}

/**
 * `voicemail.recorded` or `recording.completed` when a recording is complete: `RecordingSource` is
 * `RecordVerb` for a `<Record>` (our voicemail) and `DialVerb` for a recorded `<Dial>`, the values of
 * the Recording resource's `source` (https://www.twilio.com/docs/voice/api/recording). That the
 * callback's parameter carries exactly these values is not spelled out on Twilio's callback page; we
 * could not confirm it there. Failed or absent recordings are only logged. No recording URL: fetching
 * the media is for the admin functions.
 */
export async function emitRecordingEvent(request: VoiceRequest): Promise<void> {
  const { param } = request;
  if (param('RecordingStatus') !== 'completed') return;
  const voicemail = param('RecordingSource') === 'RecordVerb';
  await emitEvent(
    eventDeps(request),
    voicemail ? 'voicemail.recorded' : 'recording.completed',
    request.policy.accountSid,
    {
      callSid: param('CallSid') ?? null,
      recordingSid: param('RecordingSid') ?? null,
      durationSeconds: wholeNumber(param('RecordingDuration')),
      channels: wholeNumber(param('RecordingChannels')),
      source: param('RecordingSource') ?? null,
    },
  );
}

function eventDeps(request: VoiceRequest) {
  return { config: request.config, now: () => new Date() };
}

function wholeNumber(text: string | undefined): number | null {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : null;
}
