import type { DialOutcome } from '../../../sandbox/calls/dial-action';
import { parseTwiml } from '../../../sandbox/calls/twiml';
import type { WebhookResult } from '../../../sandbox/calls/webhook';
import { Leg } from '../../../sandbox/edge/legs';
import { playCall, type CallStage } from '../../../sandbox/edge/twiml-player';

const document = (twiml: string): WebhookResult => ({
  url: 'http://127.0.0.1:9/voice',
  method: 'POST',
  params: {},
  status: 200,
  twiml,
  response: parseTwiml(`<?xml version="1.0" encoding="UTF-8"?><Response>${twiml}</Response>`),
  parseError: null,
});

/** A stage that writes down what the TwiML asked of it; dialled legs end at once as `outcome` says. */
function stage(options: { outcome?: DialOutcome; next?: WebhookResult } = {}) {
  const did: string[] = [];
  const caller = new Leg('CA0', 'AC0', undefined, undefined);
  const played: CallStage = {
    caller,
    ringing: () => did.push('ringing'),
    answer: () => did.push('answer'),
    reject: () => did.push('reject'),
    dialNumber: async (number, timeoutS) => {
      did.push(`dial ${number} for ${timeoutS} s`);
      return options.outcome ?? { DialCallStatus: 'completed' };
    },
    dialClients: async (clients, timeoutS) => {
      const described = clients.map(({ identity, parameters }) =>
        Object.keys(parameters).length ? `${identity} ${new URLSearchParams(parameters)}` : identity,
      );
      did.push(`dial ${described.join(',')} for ${timeoutS} s`);
      return options.outcome ?? { DialCallStatus: 'completed' };
    },
    followDialAction: async (outcome) => {
      const recording = outcome.extraParams?.RecordingSid;
      did.push(`action ${outcome.DialCallStatus}${recording ? ` with ${recording}` : ''}`);
      return options.next ?? document('<Hangup/>');
    },
    recordDial: async (seconds) => {
      did.push(`record ${seconds} s`);
      return { RecordingSid: 'RE0', RecordingDuration: String(seconds) };
    },
    skipped: (verb) => did.push(`skipped ${verb}`),
  };
  return { played, did, caller };
}

describe('playing TwiML on the calling edge', () => {
  it('answers to say, then hangs up at <Hangup> without playing what follows', async () => {
    const { played, did, caller } = stage();
    await playCall(played, document('<Say>Hello</Say><Hangup/><Say>never</Say>'));
    expect(did).toEqual(['answer']);
    expect(caller.isEnded).toBe(true);
  });

  it('refuses at <Reject> before answering', async () => {
    const { played, did, caller } = stage();
    await playCall(played, document('<Reject reason="busy"/>'));
    expect(did).toEqual(['reject']);
    expect(caller.isEnded).toBe(true);
  });

  it('dials numbers and clients with their timeout, 30 s by default, and goes on after a Dial without action', async () => {
    const { played, did } = stage();
    await playCall(
      played,
      document('<Dial><Number>+14155550123</Number></Dial><Dial timeout="12">+14155550124</Dial>'),
    );
    expect(did).toEqual(['dial +14155550123 for 30 s', 'dial +14155550124 for 12 s']);
    const clients = stage();
    await playCall(
      clients.played,
      document(
        '<Dial timeout="20"><Client>alice</Client><Client><Identity>bob</Identity><Parameter name="calledNumber" value="+14155550100"/></Client></Dial>',
      ),
    );
    expect(clients.did).toEqual(['dial alice,bob calledNumber=%2B14155550100 for 20 s']);
  });

  it('records an answered <Dial record> and hands the recording to its action; an unanswered one records nothing', async () => {
    const answered = stage({ outcome: { DialCallStatus: 'completed', DialCallDuration: '7' } });
    const recorded =
      '<Dial action="/done" record="record-from-answer-dual"><Number>+14155550123</Number></Dial>';
    await playCall(answered.played, document(recorded));
    expect(answered.did).toEqual(['dial +14155550123 for 30 s', 'record 7 s', 'action completed with RE0']);
    const unanswered = stage({ outcome: { DialCallStatus: 'no-answer' } });
    await playCall(unanswered.played, document(recorded));
    expect(unanswered.did).toEqual(['dial +14155550123 for 30 s', 'action no-answer']);
  });

  it('follows a <Dial action> with the outcome, and plays the TwiML it answers', async () => {
    const { played, did } = stage({
      outcome: { DialCallStatus: 'no-answer' },
      next: document('<Say>Leave a message</Say>'),
    });
    await playCall(
      played,
      document('<Dial action="/dial-status" timeout="20"><Client>alice</Client></Dial><Say>skipped</Say>'),
    );
    expect(did).toEqual(['dial alice for 20 s', 'action no-answer', 'answer']);
  });

  it('says which verbs it does not play, and stops once the caller hung up', async () => {
    const { played, did, caller } = stage();
    const playing = playCall(played, document('<Gather/><Pause length="30"/><Say>after</Say>'));
    // The caller hangs up during the <Pause>, once it answered (a wait for that, polled).
    while (!did.includes('answer')) await new Promise((resolve) => setImmediate(resolve));
    caller.end('hangup');
    await playing;
    expect(did).toEqual(['skipped Gather', 'answer']);
  });
});
