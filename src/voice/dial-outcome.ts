import { noAnswerFallback } from './no-answer';
import { hangUp, sayAndHangUp } from './twiml';
import type { VoiceLinks } from './voice-links';
import type { VoicePolicy } from './voice-policy';

/** Outcomes of a `<Dial>` after which the caller is still on the line and nobody talked to them. */
const UNANSWERED = new Set(['no-answer', 'busy', 'failed']);

export const VOICEMAIL_THANKS = 'Thank you, your message has been recorded. Goodbye.';

export interface DialOutcome {
  /** `DialCallStatus` of the `<Dial action>` request; absent on the voicemail's own `<Record action>`. */
  dialCallStatus: string | undefined;
  /** `RecordingSid`: present when a voicemail (or a recorded Dial) produced a recording. */
  recordingSid: string | undefined;
}

/**
 * The TwiML after a `<Dial>` to routed clients ended (or after the voicemail recorded): nobody
 * answered → the no-answer fallback; someone talked or the caller hung up → end the call.
 */
export function answerDialOutcome(policy: VoicePolicy, outcome: DialOutcome, links: VoiceLinks): string {
  if (outcome.dialCallStatus !== undefined) {
    return UNANSWERED.has(outcome.dialCallStatus) ? noAnswerFallback(policy, links) : hangUp();
  }
  return outcome.recordingSid ? sayAndHangUp(VOICEMAIL_THANKS) : hangUp();
}
