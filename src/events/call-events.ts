import type { VoiceRequest } from '../voice/voice-webhook';
import { emitEvent } from './emit';

/** The final statuses of a call (https://www.twilio.com/docs/voice/api/call-resource#call-status-values). */
const ENDED = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/**
 * `call.completed` when a call of the subaccount's TwiML App has ended, inbound or from a browser: the
 * App's StatusCallback (/voice/call-status) carries the final `CallStatus` and `CallDuration`, the
 * whole call's seconds (https://www.twilio.com/docs/voice/api/call-resource#statuscallback). One
 * event per call: the Dial-outcome callback of inbound calls posts none. Twilio prices a call after it
 * ends and puts no price in that callback: `price` is filled in only if Twilio ever sends one, and is
 * otherwise null (the price is in `/admin/calls/list` and `/admin/usage` later).
 */
export async function emitCallCompleted(request: VoiceRequest): Promise<void> {
  const { param } = request;
  const callStatus = param('CallStatus');
  if (callStatus === undefined || !ENDED.has(callStatus)) return;
  const from = param('From') ?? null;
  const outgoing = from?.startsWith('client:') ?? false;
  await emitEvent(eventDeps(request), 'call.completed', request.policy.accountSid, {
    callSid: param('CallSid') ?? null,
    from,
    to: param('To') ?? null,
    direction: outgoing ? 'outgoing' : 'inbound',
    identity: outgoing && from ? from.slice('client:'.length) : null,
    callStatus,
    durationSeconds: wholeNumber(param('CallDuration')),
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
