import { logger } from '../log/logger';
import { isVoiceIdentity } from '../vocabulary';
import { noAnswerFallback } from './no-answer';
import { dialClients, RING_TIMEOUT_SECONDS } from './twiml';
import type { VoiceLinks } from './voice-links';
import type { VoicePolicy } from './voice-policy';

/** Twilio rings at most this many nouns in one `<Dial>`. */
const MAX_DIAL_NOUNS = 10;

const log = logger('voice');

/**
 * The TwiML for a call to one of the account's numbers: ring every identity routed to it at once, for
 * RING_TIMEOUT_SECONDS; the Dial-outcome webhook then plays the no-answer fallback. A number routed to
 * nobody goes straight to the fallback.
 */
export function answerInboundCall(policy: VoicePolicy, to: string, links: VoiceLinks): string {
  const identities = routedIdentities(policy, to);
  if (identities.length === 0) return noAnswerFallback(policy, links);
  return dialClients({
    identities,
    action: links.dialStatus,
    timeout: RING_TIMEOUT_SECONDS,
    recording: policy.recording ? { recordingStatusCallback: links.recordingStatus } : undefined,
    // A browser rung for a call to a number sees To as client:<identity>; the number called comes as a
    // custom parameter: https://www.twilio.com/docs/voice/how-share-information-between-your-applications
    parameters: { calledNumber: to },
  });
}

function routedIdentities(policy: VoicePolicy, to: string): string[] {
  const routed = Object.hasOwn(policy.inboundRouting, to) ? (policy.inboundRouting[to] ?? []) : [];
  const identities = [...new Set(routed.filter(isVoiceIdentity))];
  if (identities.length > MAX_DIAL_NOUNS) {
    log.debug(
      `${policy.accountSid}: ${to} routes to ${identities.length} identities; ringing the first ${MAX_DIAL_NOUNS}`,
    );
  }
  return identities.slice(0, MAX_DIAL_NOUNS);
}
