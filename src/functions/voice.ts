import { answerInboundCall } from '../voice/inbound-call';
import { callingIdentity } from '../voice/destination';
import { answerOutgoingCall } from '../voice/outgoing-call';
import { VOICE_PATH } from '../voice/voice-links';
import { voiceWebhook } from '../voice/voice-webhook';

/**
 * POST /voice: the Voice URL of every subaccount's TwiML App. A call from a browser client
 * (`From=client:<identity>`) is an outgoing call; any other is an inbound call to one of our numbers.
 */
export const handler = voiceWebhook({
  path: VOICE_PATH,
  admission: 'new-calls',
  answer: ({ policy, links, param }) =>
    callingIdentity(param('From') ?? '') !== undefined
      ? answerOutgoingCall(policy, { to: param('To'), callerId: param('CallerId') }, links)
      : answerInboundCall(policy, param('To') ?? '', links),
});
