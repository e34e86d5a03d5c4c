import type { TwilioResponse } from '@twilio-labs/serverless-runtime-types/types';

/**
 * Every TwiML document the voice webhooks answer, written as text. The bytes are exactly those of
 * Twilio's own VoiceResponse for the same calls (test/voice/twiml.test.ts holds them to it over many
 * generated inputs): the same declaration, element and attribute order, the same escaping of every
 * value, and the same refusal of characters XML 1.0 cannot hold in text. VoiceResponse builds a
 * document tree per answer, which was over half of a warm /voice; a string is what is sent either way.
 * Answers travel as text in a Twilio.Response (see `twimlResponse`): the runtime recognises TwiML
 * objects only when they come from its own copy of `twilio`.
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
  return document(
    `<Dial callerId="${attribute(callerId)}" answerOnBridge="true"${recordingAttributes(recording)}>` +
      `${element('Number', number)}</Dial>`,
  );
}

export function dialClients({ identities, action, timeout, recording, parameters }: ClientsDial): string {
  let clients = '';
  for (const identity of identities) clients += clientNoun(identity, parameters);
  const attributes =
    ' answerOnBridge="true"' +
    (action ? ` action="${attribute(action)}" method="POST"` : '') +
    (timeout ? ` timeout="${timeout}"` : '') +
    recordingAttributes(recording);
  return document(clients ? `<Dial${attributes}>${clients}</Dial>` : `<Dial${attributes}/>`);
}

/**
 * `<Client>alice</Client>`, or with parameters the long form they need
 * (https://www.twilio.com/docs/voice/twiml/client: `<Identity>` and `<Parameter name value>`).
 */
function clientNoun(identity: string, parameters: Record<string, string> | undefined): string {
  if (!parameters) return element('Client', identity);
  let nouns = element('Identity', identity);
  for (const [name, value] of Object.entries(parameters))
    nouns += `<Parameter name="${attribute(name)}" value="${attribute(value)}"/>`;
  return `<Client>${nouns}</Client>`;
}

/** Dual-channel (caller and callee on separate channels) from the moment the call is answered. */
function recordingAttributes(recording: DialRecording | undefined): string {
  if (!recording) return '';
  return (
    ` record="record-from-answer-dual" recordingStatusCallback="${attribute(recording.recordingStatusCallback)}"` +
    ' recordingStatusCallbackMethod="POST" recordingStatusCallbackEvent="completed"'
  );
}

/** Voicemail: a prompt, then up to VOICEMAIL_MAX_SECONDS of recording; silence ends the call. */
export function voicemail(options: { action: string; recordingStatusCallback: string }): string {
  return document(
    element('Say', 'Nobody can take your call right now. Please leave a message after the tone.') +
      `<Record action="${attribute(options.action)}" method="POST" maxLength="${VOICEMAIL_MAX_SECONDS}"` +
      ` playBeep="true" recordingStatusCallback="${attribute(options.recordingStatusCallback)}"` +
      ' recordingStatusCallbackMethod="POST" recordingStatusCallbackEvent="completed"/>' +
      // Reached only when nothing was recorded: Twilio then goes on with the next verb.
      element('Say', 'No message was recorded. Goodbye.') +
      '<Hangup/>',
  );
}

/** Tells the caller something and ends the call: refusals, "nobody is available", thanks. */
export function sayAndHangUp(message: string): string {
  return document(`${element('Say', message)}<Hangup/>`);
}

export function hangUp(): string {
  return document('<Hangup/>');
}

/** Refuses a call before it is answered (the caller hears the number is not in service; no charge). */
export function reject(): string {
  return document('<Reject reason="rejected"/>');
}

/** An empty document: acknowledges a status callback that has nothing to say to the call. */
export function emptyResponse(): string {
  return `${DECLARATION}<Response/>`;
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

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

function document(verbs: string): string {
  return `${DECLARATION}<Response>${verbs}</Response>`;
}

/** An element holding text; empty text makes an empty element, as VoiceResponse writes it. */
function element(name: string, content: string): string {
  return content === '' ? `<${name}/>` : `<${name}>${text(content)}</${name}>`;
}

/**
 * Characters XML 1.0 cannot hold (controls other than tab, newline and carriage return, lone
 * surrogates, U+FFFE and U+FFFF), https://www.w3.org/TR/xml/#charsets: text holding one is refused
 * with an error, as VoiceResponse refuses it, rather than sent as a document Twilio could not parse.
 */
const ILLEGAL_IN_XML =
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  /[\0-\x08\x0B\f\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const TEXT_SPECIAL = /[&<>\r]/;
const ATTRIBUTE_SPECIAL = /[&<"\t\n\r]/;

/** Text content escaped as VoiceResponse escapes it (& < > and carriage return). */
function text(value: string): string {
  if (ILLEGAL_IN_XML.test(value)) throw new Error('TwiML text holds a character XML cannot carry');
  if (!TEXT_SPECIAL.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

/**
 * An attribute value escaped as VoiceResponse escapes it (& < " tab newline carriage return; it does
 * not refuse any character in attributes, so neither does this).
 */
function attribute(value: string): string {
  if (!ATTRIBUTE_SPECIAL.test(value)) return value;
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}
