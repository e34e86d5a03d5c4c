import { answerDialOutcome } from '../../voice/dial-outcome';
import { DIAL_STATUS_PATH } from '../../voice/voice-links';
import { voiceWebhook } from '../../voice/voice-webhook';

/**
 * POST /voice/dial-status: the `<Dial action>` of inbound calls; voicemail when nobody answered. The
 * call's end is posted as `call.completed` by /voice/call-status, once per call.
 */
export const handler = voiceWebhook({
  path: DIAL_STATUS_PATH,
  admission: 'calls-in-progress',
  answer: ({ policy, links, param }) =>
    answerDialOutcome(
      policy,
      { dialCallStatus: param('DialCallStatus'), recordingSid: param('RecordingSid') },
      links,
    ),
});
