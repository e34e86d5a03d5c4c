import { asE164, parseDestination } from './destination';
import { checkDestination, classifyAhead } from '../toll-fraud/destination-guard';
import { guardRefusalSentence } from './guard-refusal-words';
import { dialClients, dialNumber, sayAndHangUp, type DialRecording } from './twiml';
import type { VoiceLinks } from './voice-links';
import type { VoicePolicy } from './voice-policy';

export interface OutgoingCall {
  /** `To` as the browser client sent it: a number or an identity. */
  to: string | undefined;
  /** A `CallerId` the client asked for, if any. */
  callerId: string | undefined;
}

/** Said when a call is refused, so the person at the browser knows what to change. */
export const REFUSALS = {
  invalidDestination:
    'Sorry, this call cannot be made. Dial a number with a plus sign and the country code, or the name of a colleague.',
  callerIdNotOwned: 'Sorry, the caller ID you chose is not a number of this account.',
  noCallerId: 'Sorry, this account has no number to call from yet.',
} as const;

/**
 * The TwiML for a browser client's outgoing call: to a number, dial it with a caller ID the account
 * owns, if its toll-fraud guard allows it; to an identity, ring that client of the same account.
 */
export function answerOutgoingCall(policy: VoicePolicy, call: OutgoingCall, links: VoiceLinks): string {
  const destination = parseDestination(call.to ?? '');
  const recording: DialRecording | undefined = policy.recording
    ? { recordingStatusCallback: links.recordingStatus }
    : undefined;
  switch (destination.kind) {
    case 'invalid':
      return sayAndHangUp(REFUSALS.invalidDestination);
    case 'client':
      // Client names resolve within the calling account, so this never reaches another tenant's browsers.
      return dialClients({ identities: [destination.identity], recording });
    case 'number': {
      const refused = checkDestination(destination.number, policy.callingPolicy);
      if (refused) return sayAndHangUp(`Sorry. ${guardRefusalSentence(refused)}`);
      const callerId = chooseCallerId(policy, call.callerId);
      if (callerId === 'not-owned') return sayAndHangUp(REFUSALS.callerIdNotOwned);
      if (!callerId) return sayAndHangUp(REFUSALS.noCallerId);
      return dialNumber({ number: destination.number, callerId, recording });
    }
  }
}

/** What `answerOutgoingCall` will ask the toll-fraud guard, asked ahead (voice-webhook.ts `whileReading`). */
export function prepareOutgoingCall(to: string | undefined): void {
  const destination = parseDestination(to ?? '');
  if (destination.kind === 'number') classifyAhead(destination.number);
}

/** The client's own choice when the account owns that number, else the account's default caller ID. */
function chooseCallerId(policy: VoicePolicy, requested: string | undefined): string | 'not-owned' | null {
  if (requested === undefined || requested.trim() === '') return policy.callerId;
  const number = asE164(requested);
  return number && policy.numbers.includes(number) ? number : 'not-owned';
}
