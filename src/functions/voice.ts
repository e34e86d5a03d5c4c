import { answerInboundCall } from '../voice/inbound-call';
import { asE164, callingIdentity } from '../voice/destination';
import { answerOutgoingCall, prepareOutgoingCall } from '../voice/outgoing-call';
import { VOICE_PATH } from '../voice/voice-links';
import { voiceWebhook } from '../voice/voice-webhook';

/**
 * POST /voice: the Voice URL of every subaccount's TwiML App. A call from a browser client
 * (`From=client:<identity>`) is an outgoing call; any other is an inbound call to one of our numbers.
 */
export const handler = voiceWebhook({
  path: VOICE_PATH,
  admission: 'new-calls',
  // The registry item of the one number the answer depends on: the caller ID a browser client asked
  // for (the default one is the account's), or the number an inbound call is to.
  number: (param) =>
    callingIdentity(param('From') ?? '') !== undefined ? asE164(param('CallerId') ?? '') : param('To'),
  // A browser client's call to a number: the guard's classification of it (on a new instance, loading
  // libphonenumber-js and its calling code's metadata) overlaps the tenant's first read.
  whileReading: (param) => {
    if (callingIdentity(param('From') ?? '') !== undefined) prepareOutgoingCall(param('To'));
  },
  answer: ({ policy, links, param }) =>
    callingIdentity(param('From') ?? '') !== undefined
      ? answerOutgoingCall(policy, { to: param('To'), callerId: param('CallerId') }, links)
      : answerInboundCall(policy, param('To') ?? '', links),
});
