import { sayAndHangUp, voicemail } from './twiml';
import type { VoiceLinks } from './voice-links';
import type { VoicePolicy } from './voice-policy';

export const NOBODY_AVAILABLE = 'Nobody can take your call right now. Please call again later.';

/** What an inbound caller gets when nobody answers: voicemail, or a message when the account has none. */
export function noAnswerFallback(policy: VoicePolicy, links: VoiceLinks): string {
  if (!policy.voicemail) return sayAndHangUp(NOBODY_AVAILABLE);
  // The voicemail's own action comes back to the Dial-outcome webhook, which thanks the caller.
  return voicemail({ action: links.dialStatus, recordingStatusCallback: links.recordingStatus });
}
