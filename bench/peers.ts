/**
 * The peers the hot paths are measured against: twilio-labs/function-templates' Voice JavaScript SDK
 * quickstart handlers, doing what the published files do, step for step (rewritten here in
 * TypeScript; the published files are linked on each), and run through the same harness as ours: the
 * same context, event and callback, and the same last step the Functions runtime takes with the answer
 * (`finishAnswer`). They check no signature, no ticket and no tenant; that is the point of comparing.
 */
import type { Context, ServerlessCallback } from '@twilio-labs/serverless-runtime-types/types';
import AccessToken from 'twilio/lib/jwt/AccessToken';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';

type Handler = (context: Context, event: Record<string, unknown>, callback: ServerlessCallback) => void;

/**
 * https://github.com/twilio-labs/function-templates/blob/main/voice-javascript-sdk/functions/voice-javascript-sdk-twiml-app.js:
 * `To` dialled as a <Number> when it looks like a phone number (digits, +, -, parentheses, spaces),
 * else as a <Client>, with the caller ID from the environment; the VoiceResponse itself is the answer.
 */
export const functionTemplatesVoice: Handler = (_context, event, callback) => {
  const twiml = new VoiceResponse();
  const to = event.To;
  if (typeof to === 'string' && to) {
    const noun = /^[\d+\-() ]+$/.test(to) ? 'number' : 'client';
    const dial = twiml.dial({ answerOnBridge: true, callerId: process.env.CALLER_ID });
    dial[noun]({}, to);
  } else {
    twiml.say('Thanks for calling!');
  }
  callback(null, twiml);
};

/**
 * https://github.com/twilio-labs/function-templates/blob/main/voice-javascript-sdk/functions/voice-token.js:
 * an AccessToken for a fixed identity, signed with the API key secret from the environment (a string),
 * with a VoiceGrant for the TwiML App and incoming calls, answered as JSON in a Twilio.Response.
 */
export const functionTemplatesToken: Handler = (context, _event, callback) => {
  const identity = 'the_user_id';
  const env = context as unknown as Record<string, string>;
  // The published file sets `identity` after construction; twilio 6 (ours, and the runtime's) refuses
  // a token made without it, so it is given to the constructor: the same claims either way.
  const token = new AccessToken(env.ACCOUNT_SID ?? '', env.API_KEY ?? '', env.API_SECRET ?? '', { identity });
  token.addGrant(
    new AccessToken.VoiceGrant({ outgoingApplicationSid: env.TWIML_APPLICATION_SID, incomingAllow: true }),
  );
  const response = new Twilio.Response();
  response.appendHeader('Content-Type', 'application/json');
  response.setBody({ identity, token: token.toJwt() });
  callback(null, response);
};

/**
 * What the Functions runtime does with a handler's answer before sending it (its `handleSuccess`): a
 * TwiML object becomes its XML text, a Response's object body its JSON text.
 */
export function finishAnswer(payload: unknown): string {
  if (payload instanceof VoiceResponse) return payload.toString();
  const body = (payload as { body?: unknown }).body;
  return typeof body === 'string' ? body : JSON.stringify(body);
}
