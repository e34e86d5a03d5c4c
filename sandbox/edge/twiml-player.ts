import type { DialOutcome } from '../calls/dial-action';
import type { TwimlNode } from '../calls/twiml';
import type { WebhookResult } from '../calls/webhook';
import type { Leg } from './legs';

/** How long the sandbox takes to "say" a `<Say>` or `<Play>`. */
const SAY_MS = 1_000;
/** Twilio's default `<Dial timeout>`: https://www.twilio.com/docs/voice/twiml/dial#timeout */
const DEFAULT_DIAL_TIMEOUT_S = 30;

/** A `<Client>` noun: whom to ring, and its `<Parameter>`s (the browser's customParameters). */
export interface DialledClient {
  identity: string;
  parameters: Record<string, string>;
}

/** The parts of the edge the TwiML of a call drives. */
export interface CallStage {
  /** The caller: a browser (an outgoing SDK call) or a simulated phone (an inbound call). */
  caller: Leg;
  /** Told that the caller hears ringing, then that the call is answered (media flows). */
  ringing(): void;
  answer(): void;
  /** `<Reject>`: refused before it was answered. */
  reject(): void;
  /** A simulated phone at `number` rings, answers and echoes; resolves with how the Dial ended. */
  dialNumber(number: string, timeoutS: number): Promise<DialOutcome>;
  /** Registered browsers of these identities ring; resolves with how the Dial ended. */
  dialClients(clients: DialledClient[], timeoutS: number): Promise<DialOutcome>;
  /** Twilio's request to the `<Dial action>` once the dialled leg ended. */
  followDialAction(outcome: DialOutcome): Promise<WebhookResult>;
  /**
   * A `<Dial record>` whose leg was answered for `seconds`: the recording is made and its callback sent;
   * resolves with what the Dial action then carries (RecordingUrl, RecordingSid, RecordingDuration).
   */
  recordDial(seconds: number): Promise<Record<string, string>>;
  /** A verb the sandbox does not play, said once in its log. */
  skipped(verb: string): void;
}

/**
 * Plays a call's TwiML as Twilio does, verb by verb, until the document ends (Twilio then hangs up), a
 * `<Hangup>` or `<Reject>`, or the caller hangs up. A `<Dial action>` fetches the next document.
 * Played: Say, Play and Pause (as time passing with the call answered), Dial with Number or Client
 * nouns, Hangup, Reject; anything else is skipped and said in the sandbox's log.
 */
export async function playCall(stage: CallStage, first: WebhookResult): Promise<void> {
  let document: WebhookResult | undefined = first;
  while (document && !stage.caller.isEnded) {
    if (!document.response) break;
    document = await playDocument(stage, document.response);
  }
  stage.caller.hangUp();
}

async function playDocument(stage: CallStage, response: TwimlNode): Promise<WebhookResult | undefined> {
  for (const verb of response.children) {
    if (stage.caller.isEnded) return undefined;
    switch (verb.name) {
      case 'Say':
      case 'Play':
        stage.answer();
        await stage.caller.wait(SAY_MS);
        break;
      case 'Pause':
        stage.answer();
        await stage.caller.wait(Number(verb.attributes.length ?? 1) * 1000);
        break;
      case 'Hangup':
        return undefined;
      case 'Reject':
        stage.reject();
        return undefined;
      case 'Dial': {
        const outcome = await dial(stage, verb);
        if (outcome.DialCallStatus === 'completed' && verb.attributes.record?.startsWith('record-from'))
          outcome.extraParams = await stage.recordDial(Number(outcome.DialCallDuration ?? 0));
        if (verb.attributes.action && !stage.caller.isEnded) return stage.followDialAction(outcome);
        break;
      }
      default:
        stage.skipped(verb.name);
    }
  }
  return undefined;
}

function dial(stage: CallStage, verb: TwimlNode): Promise<DialOutcome> {
  const timeoutS = Number(verb.attributes.timeout ?? DEFAULT_DIAL_TIMEOUT_S);
  const clients = verb.children.filter((noun) => noun.name === 'Client').map(dialledClient);
  if (clients.length) return stage.dialClients(clients, timeoutS);
  const number = verb.children.find((noun) => noun.name === 'Number')?.text ?? verb.text;
  return stage.dialNumber(number.trim(), timeoutS);
}

/** `<Client>alice</Client>`, or `<Client><Identity>alice</Identity></Client>` with parameters. */
function dialledClient(noun: TwimlNode): DialledClient {
  const identity = (noun.children.find((child) => child.name === 'Identity')?.text ?? noun.text).trim();
  const parameters: Record<string, string> = {};
  for (const child of noun.children)
    if (child.name === 'Parameter' && child.attributes.name)
      parameters[child.attributes.name] = child.attributes.value ?? '';
  return { identity, parameters };
}
