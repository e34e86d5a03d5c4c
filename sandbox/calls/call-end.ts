import { TwilioError } from '../rest/errors';
import { newSid } from '../rest/ids';
import { SANDBOX_PRICES } from '../rules/prices';
import type { Call, Recording, SandboxState } from '../state/types';
import { createCall } from '../state/seed';
import { chargeFor, rateOf } from './call-price';
import { findVerb, type TwimlNode } from './twiml';
import type { WebhookRequest, WebhookResult } from './webhook';

/** What the sandbox knows of a call it is playing: its first webhook's params and its latest TwiML. */
export interface LiveCall {
  /** The params of the call's first webhook: every later request of the call starts from them. */
  callParams: Record<string, string>;
  /** The last answer that was TwiML for the call (the first webhook, or a `<Dial>`/`<Record>` action). */
  last: WebhookResult;
  authToken: string;
}

export interface CompleteCallOptions {
  /**
   * Seconds the `<Dial>`ed party talked; 0 (the default) when nobody answered or there was no `<Dial>`.
   * A `<Dial record>` records exactly these seconds.
   */
  answeredSeconds?: number;
}

export interface VoicemailOptions {
  /** Seconds of message the caller leaves before hanging up (at least 1). */
  seconds: number;
}

/** A request Twilio makes as the call goes on: `twiml` ones answer for the call, `callback` ones are only heard. */
export interface PlannedRequest {
  kind: 'twiml' | 'callback';
  request: WebhookRequest;
}

/** What ending a call did, as the sandbox's state now holds it. */
export interface CallEnding {
  callSid: string;
  status: Call['status'];
  durationSeconds: number;
  /** The Call resource's price: a negative decimal string in USD. */
  price: string;
  /** The `<Dial>` leg Twilio made when someone answered (direction `outbound-dial`). */
  dialedCallSid: string | null;
  recordingSids: string[];
}

export interface CallEndPlan {
  ending: CallEnding;
  /** In the order Twilio makes them. */
  requests: PlannedRequest[];
}

const ENDED: Call['status'][] = ['completed', 'busy', 'failed', 'no-answer', 'canceled'];
const TWILIO_API = 'https://api.twilio.com';

function wholeSeconds(value: number | undefined, name: string, minimum: number): number {
  const seconds = value ?? minimum;
  if (!Number.isInteger(seconds) || seconds < minimum || seconds > 4 * 3600) {
    throw new Error(`${name} must be a whole number of seconds from ${minimum} to 14400`);
  }
  return seconds;
}

function liveCallOf(state: SandboxState, callSid: string): Call {
  const call = state.calls.find((candidate) => candidate.sid === callSid);
  if (!call) throw new TwilioError(404, 20404, `Call ${callSid} not found`);
  if (ENDED.includes(call.status)) throw new Error(`Call ${callSid} has already ended (${call.status})`);
  return call;
}

const iso = (ms: number) => new Date(ms).toISOString();
const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

/** The params of a later request of the call: its first webhook's, with the call's status now. */
function laterParams(live: LiveCall, status: string): Record<string, string> {
  return { ...live.callParams, CallStatus: status };
}

function recordingUrl(recording: Recording): string {
  return `${TWILIO_API}/2010-04-01/Accounts/${recording.accountSid}/Recordings/${recording.sid}`;
}

/** What a recording adds to the request of its verb's `action`. */
function recordingParams(recording: Recording): Record<string, string> {
  return {
    RecordingUrl: recordingUrl(recording),
    RecordingSid: recording.sid,
    RecordingDuration: String(recording.durationSeconds),
  };
}

/**
 * The request to a verb's `action` (resolved against the URL of the TwiML that held it), signed as the
 * call's other requests; none when the verb has no action.
 */
function actionRequests(verb: TwimlNode, live: LiveCall, params: Record<string, string>): PlannedRequest[] {
  const action = verb.attributes.action;
  if (!action) return [];
  const url = new URL(action, live.last.url).toString();
  const method = verb.attributes.method ?? 'POST';
  return [{ kind: 'twiml', request: { url, method, authToken: live.authToken, params } }];
}

function addRecording(
  state: SandboxState,
  call: Call,
  fields: Pick<Recording, 'source' | 'channels' | 'durationSeconds'> & { startMs: number },
): Recording {
  const recording: Recording = {
    sid: newSid('RE'),
    accountSid: call.accountSid,
    // "This will always refer to the parent leg of a two-leg call" (the Recording resource's call_sid).
    callSid: call.sid,
    source: fields.source,
    status: 'completed',
    channels: fields.channels,
    durationSeconds: fields.durationSeconds,
    price: chargeFor(SANDBOX_PRICES.recordingPerMinute, fields.durationSeconds),
    startTime: iso(fields.startMs),
    dateCreated: iso(fields.startMs),
    dateUpdated: iso(fields.startMs + fields.durationSeconds * 1000),
  };
  state.recordings.push(recording);
  return recording;
}

/**
 * The recording status callback a `<Dial>` or `<Record>` asked for, with the parameters Twilio sends
 * (https://www.twilio.com/docs/voice/api/recording#recordingstatuscallback): only for the `completed`
 * event, which is the default and the only one our TwiML asks for.
 */
function recordingCallback(verb: TwimlNode, live: LiveCall, recording: Recording): PlannedRequest[] {
  const url = verb.attributes.recordingStatusCallback;
  const events = (verb.attributes.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/);
  if (!url || !events.includes('completed')) return [];
  return [
    {
      kind: 'callback',
      request: {
        url: new URL(url, live.last.url).toString(),
        method: verb.attributes.recordingStatusCallbackMethod ?? 'POST',
        authToken: live.authToken,
        params: {
          AccountSid: recording.accountSid,
          CallSid: recording.callSid,
          RecordingSid: recording.sid,
          RecordingUrl: recordingUrl(recording),
          RecordingStatus: 'completed',
          RecordingDuration: String(recording.durationSeconds),
          RecordingChannels: String(recording.channels),
          RecordingStartTime: rfc2822(Date.parse(recording.startTime)),
          RecordingSource: recording.source,
        },
      },
    },
  ];
}

/** Where Twilio reports the call's end: its TwiML App's StatusCallback, else its number's own. */
function statusCallbackOf(state: SandboxState, call: Call): { url: string; method: string } | null {
  const app = call.applicationSid && state.applications.find((a) => a.sid === call.applicationSid);
  if (app) return app.statusCallback ? { url: app.statusCallback, method: app.statusCallbackMethod } : null;
  const number = state.incomingPhoneNumbers.find(
    (candidate) => candidate.phoneNumber === call.to && candidate.accountSid === call.accountSid,
  );
  return number?.statusCallback ? { url: number.statusCallback, method: 'POST' } : null;
}

/**
 * Ends the parent call: `completed`, end time and duration, its price, and its StatusCallback request.
 * Twilio prices a call after it ends.
 */
function endParent(state: SandboxState, call: Call, live: LiveCall, seconds: number, nowMs: number) {
  const startMs = call.startTime ? Date.parse(call.startTime) : nowMs;
  call.status = 'completed';
  call.startTime = iso(startMs);
  call.endTime = iso(startMs + seconds * 1000);
  call.dateUpdated = call.endTime;
  call.price = chargeFor(rateOf(call), seconds);
  return statusCallbackRequests(state, call, live);
}

/**
 * The StatusCallback request of a call whose record is final, with `CallStatus` and `CallDuration` as
 * Twilio sends them at the `completed` event (https://www.twilio.com/docs/voice/api/call-resource#statuscallback),
 * which is sent whatever the final status; none when neither its App nor its number names a callback.
 * No price in it: Twilio prices a call after it ends.
 */
export function statusCallbackRequests(state: SandboxState, call: Call, live: LiveCall): PlannedRequest[] {
  const target = statusCallbackOf(state, call);
  if (!target) return [];
  const endMs = Date.parse(call.endTime ?? call.dateUpdated);
  const seconds = call.startTime ? Math.round((endMs - Date.parse(call.startTime)) / 1000) : 0;
  return [
    {
      kind: 'callback',
      request: {
        ...target,
        authToken: live.authToken,
        params: {
          ...laterParams(live, call.status),
          CallDuration: String(seconds),
          Timestamp: rfc2822(endMs),
          CallbackSource: 'call-progress-events',
          SequenceNumber: '0',
        },
      },
    },
  ];
}

/** The party a `<Dial>` rang: its first `<Number>` or `<Client>` (`client:` and the identity). */
function dialledParty(dial: TwimlNode): string {
  const noun = dial.children.find((child) => child.name === 'Number' || child.name === 'Client');
  if (!noun) return dial.text;
  if (noun.name === 'Number') return noun.text;
  const identity = noun.children.find((child) => child.name === 'Identity')?.text ?? noun.text;
  return `client:${identity}`;
}

/**
 * The call goes on from its last TwiML and ends. When that TwiML has a `<Dial>` and `answeredSeconds`
 * is above 0, the dialled party answered: a child leg (direction `outbound-dial`), a recording when
 * the Dial asked for one (`record-from-answer-dual`: source DialVerb, 2 channels), its recording
 * callback, then the `<Dial action>` with `DialCallStatus=completed`. Then the parent call ends.
 */
export function planCompleteCall(
  state: SandboxState,
  callSid: string,
  live: LiveCall,
  options: CompleteCallOptions,
  nowMs: number,
): CallEndPlan {
  const answered = wholeSeconds(options.answeredSeconds, 'answeredSeconds', 0);
  const call = liveCallOf(state, callSid);
  const startMs = call.startTime ? Date.parse(call.startTime) : nowMs;
  call.startTime = iso(startMs);
  const dial = live.last.response && findVerb(live.last.response, 'Dial');
  const requests: PlannedRequest[] = [];
  let dialed: Call | null = null;
  const recordings: Recording[] = [];
  if (dial && answered > 0) {
    dialed = createCall(state, {
      accountSid: call.accountSid,
      from: dial.attributes.callerId ?? call.from,
      to: dialledParty(dial),
      status: 'completed',
      direction: 'outbound-dial',
    });
    dialed.parentCallSid = call.sid;
    dialed.startTime = iso(startMs);
    dialed.endTime = iso(startMs + answered * 1000);
    dialed.dateCreated = dialed.startTime;
    dialed.dateUpdated = dialed.endTime;
    dialed.price = chargeFor(rateOf(dialed), answered);
    const recorded = recordDialledLeg(state, call, dial, live, answered, startMs);
    if (recorded) {
      recordings.push(recorded.recording);
      requests.push(...recorded.requests);
    }
    requests.push(
      ...actionRequests(dial, live, {
        ...laterParams(live, 'in-progress'),
        DialCallStatus: 'completed',
        DialCallSid: dialed.sid,
        DialCallDuration: String(answered),
        ...recorded?.actionParams,
      }),
    );
  }
  requests.push(...endParent(state, call, live, answered, nowMs));
  return { ending: endingOf(call, dialed, recordings, answered), requests };
}

/**
 * The recording a `<Dial record="record-from-answer…">` makes of a dialled leg answered for `seconds`
 * (source DialVerb; 2 channels for `-dual`), its recording callback, and what it adds to the `<Dial
 * action>` request; null when the Dial did not ask to record.
 */
export function recordDialledLeg(
  state: SandboxState,
  call: Call,
  dial: TwimlNode,
  live: LiveCall,
  seconds: number,
  startMs: number,
): { recording: Recording; requests: PlannedRequest[]; actionParams: Record<string, string> } | null {
  const record = dial.attributes.record ?? 'do-not-record';
  if (!record.startsWith('record-from')) return null;
  const recording = addRecording(state, call, {
    source: 'DialVerb',
    channels: record.endsWith('-dual') ? 2 : 1,
    durationSeconds: seconds,
    startMs,
  });
  return {
    recording,
    requests: recordingCallback(dial, live, recording),
    actionParams: recordingParams(recording),
  };
}

/**
 * The caller leaves a message at the `<Record>` of the call's last TwiML and hangs up: a recording
 * (source RecordVerb, 1 channel), the `<Record action>` with RecordingUrl, RecordingSid,
 * RecordingDuration and `Digits=hangup` (https://www.twilio.com/docs/voice/twiml/record#attributes-action),
 * its recording callback, and the end of the call.
 */
export function planVoicemail(
  state: SandboxState,
  callSid: string,
  live: LiveCall,
  options: VoicemailOptions,
  nowMs: number,
): CallEndPlan {
  const seconds = wholeSeconds(options.seconds, 'seconds', 1);
  const call = liveCallOf(state, callSid);
  const record = live.last.response && findVerb(live.last.response, 'Record');
  if (!record) throw new Error(`The last TwiML of call ${callSid} has no <Record>`);
  const startMs = call.startTime ? Date.parse(call.startTime) : nowMs;
  call.startTime = iso(startMs);
  const recording = addRecording(state, call, {
    source: 'RecordVerb',
    channels: 1,
    durationSeconds: seconds,
    startMs,
  });
  const requests = actionRequests(record, live, {
    ...laterParams(live, 'completed'),
    ...recordingParams(recording),
    Digits: 'hangup',
  });
  requests.push(...recordingCallback(record, live, recording));
  requests.push(...endParent(state, call, live, seconds, nowMs));
  return { ending: endingOf(call, null, [recording], seconds), requests };
}

function endingOf(call: Call, dialed: Call | null, recordings: Recording[], seconds: number): CallEnding {
  return {
    callSid: call.sid,
    status: call.status,
    durationSeconds: seconds,
    price: call.price ?? '0.00000',
    dialedCallSid: dialed?.sid ?? null,
    recordingSids: recordings.map((recording) => recording.sid),
  };
}
