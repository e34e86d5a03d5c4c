/**
 * The TwiML the voice webhooks answer is written as text (src/voice/twiml.ts); here it is held byte for
 * byte to what Twilio's own VoiceResponse builds for the same calls, over generated values that reach
 * every escape (quotes, ampersands, angle brackets, tabs, newlines, carriage returns), characters XML
 * cannot hold, astral characters and empty values. Where VoiceResponse refuses a value, so must we.
 */
import fc from 'fast-check';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import {
  apology,
  dialClients,
  dialNumber,
  emptyResponse,
  hangUp,
  reject,
  sayAndHangUp,
  voicemail,
  type ClientsDial,
  type DialRecording,
  type NumberDial,
} from '../../src/voice/twiml';

/** The previous implementation, with Twilio's builder: what the text must equal. */
const reference = {
  recording(recording: DialRecording | undefined) {
    if (!recording) return {};
    return {
      record: 'record-from-answer-dual' as const,
      recordingStatusCallback: recording.recordingStatusCallback,
      recordingStatusCallbackMethod: 'POST',
      recordingStatusCallbackEvent: ['completed' as const],
    };
  },
  dialNumber({ number, callerId, recording }: NumberDial) {
    const response = new VoiceResponse();
    response.dial({ callerId, answerOnBridge: true, ...reference.recording(recording) }).number(number);
    return response.toString();
  },
  dialClients({ identities, action, timeout, recording, parameters }: ClientsDial) {
    const response = new VoiceResponse();
    const dial = response.dial({
      answerOnBridge: true,
      ...(action ? { action, method: 'POST' } : {}),
      ...(timeout ? { timeout } : {}),
      ...reference.recording(recording),
    });
    for (const identity of identities) {
      if (!parameters) {
        dial.client(identity);
        continue;
      }
      const client = dial.client();
      client.identity(identity);
      for (const [name, value] of Object.entries(parameters)) client.parameter({ name, value });
    }
    return response.toString();
  },
  voicemail(options: { action: string; recordingStatusCallback: string }) {
    const response = new VoiceResponse();
    response.say('Nobody can take your call right now. Please leave a message after the tone.');
    response.record({
      action: options.action,
      method: 'POST',
      maxLength: 120,
      playBeep: true,
      recordingStatusCallback: options.recordingStatusCallback,
      recordingStatusCallbackMethod: 'POST',
      recordingStatusCallbackEvent: ['completed'],
    });
    response.say('No message was recorded. Goodbye.');
    response.hangup();
    return response.toString();
  },
  sayAndHangUp(message: string) {
    const response = new VoiceResponse();
    response.say(message);
    response.hangup();
    return response.toString();
  },
};

/** Either the same text, or both refuse. */
function sameOutcome(ours: () => string, theirs: () => string): void {
  let expected: string | Error;
  try {
    expected = theirs();
  } catch (error) {
    expected = error as Error;
  }
  if (expected instanceof Error) expect(ours).toThrow();
  else expect(ours()).toBe(expected);
}

const RUNS = 2000;
// Values biased towards what must be escaped, plus any Unicode (astral characters, lone surrogates).
const special = fc.constantFrom(
  '&',
  '<',
  '>',
  '"',
  "'",
  '\t',
  '\n',
  '\r',
  '\u0000',
  '\u000b',
  '\uffff',
  '&amp;',
);
const anyValue = fc.oneof(
  fc.string({ unit: fc.oneof(special, fc.string({ minLength: 1, maxLength: 1 })), maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constant(''),
);
const recording = fc.option(fc.record({ recordingStatusCallback: anyValue }), { nil: undefined });

describe('TwiML text', () => {
  it('is byte for byte what VoiceResponse builds for a dialled number', () => {
    fc.assert(
      fc.property(anyValue, anyValue, recording, (number, callerId, rec) => {
        const call = { number, callerId, recording: rec };
        sameOutcome(
          () => dialNumber(call),
          () => reference.dialNumber(call),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('is byte for byte what VoiceResponse builds for ringing clients', () => {
    fc.assert(
      fc.property(
        fc.array(anyValue, { maxLength: 4 }),
        fc.option(anyValue, { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
        recording,
        fc.option(fc.dictionary(anyValue, anyValue, { maxKeys: 2 }), { nil: undefined }),
        (identities, action, timeout, rec, parameters) => {
          const call = { identities, action, timeout, recording: rec, parameters };
          sameOutcome(
            () => dialClients(call),
            () => reference.dialClients(call),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('is byte for byte what VoiceResponse builds for voicemail and spoken messages', () => {
    fc.assert(
      fc.property(anyValue, anyValue, anyValue, (action, callback, message) => {
        sameOutcome(
          () => voicemail({ action, recordingStatusCallback: callback }),
          () => reference.voicemail({ action, recordingStatusCallback: callback }),
        );
        sameOutcome(
          () => sayAndHangUp(message),
          () => reference.sayAndHangUp(message),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('writes the fixed documents as VoiceResponse does', () => {
    const hangup = new VoiceResponse();
    hangup.hangup();
    const rejected = new VoiceResponse();
    rejected.reject({ reason: 'rejected' });
    expect(hangUp()).toBe(hangup.toString());
    expect(reject()).toBe(rejected.toString());
    expect(emptyResponse()).toBe(new VoiceResponse().toString());
    expect(apology()).toBe(
      reference.sayAndHangUp('Sorry, we cannot connect your call right now. Please try again later.'),
    );
  });

  it('escapes every value it is given', () => {
    const xml = dialClients({
      identities: ['a<b>&"c"'],
      action: 'https://x.example/?a=1&b="2"',
      recording: { recordingStatusCallback: 'https://x.example/<r>' },
    });
    expect(xml).not.toMatch(/<b>|&"|="2"/);
    expect(xml).toContain('<Client>a&lt;b&gt;&amp;"c"</Client>');
    expect(xml).toContain('action="https://x.example/?a=1&amp;b=&quot;2&quot;"');
  });
});
