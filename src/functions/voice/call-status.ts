import { emitCallCompleted } from '../../events/call-events';
import { emptyResponse } from '../../voice/twiml';
import { CALL_STATUS_PATH } from '../../voice/voice-links';
import { voiceWebhook } from '../../voice/voice-webhook';

/** POST /voice/call-status: the TwiML App's StatusCallback; a call of the App ended, `call.completed` posted. */
export const handler = voiceWebhook({
  path: CALL_STATUS_PATH,
  admission: 'calls-in-progress',
  answer: () => emptyResponse(),
  report: emitCallCompleted,
});
