import { emitRecordingEvent } from '../../events/call-events';
import { logRecordingStatus } from '../../voice/recording-status';
import { emptyResponse } from '../../voice/twiml';
import { RECORDING_STATUS_PATH } from '../../voice/voice-links';
import { voiceWebhook } from '../../voice/voice-webhook';

/** POST /voice/recording-status: Twilio reports a call recording or voicemail; logged (no secrets) and posted as an event. */
export const handler = voiceWebhook({
  path: RECORDING_STATUS_PATH,
  admission: 'calls-in-progress',
  answer: (request) => {
    logRecordingStatus(request);
    return emptyResponse();
  },
  report: emitRecordingEvent,
});
