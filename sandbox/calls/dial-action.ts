import { findVerb } from './twiml';
import type { WebhookRequest, WebhookResult } from './webhook';

/** What Twilio reports about the `<Dial>` when it requests the action URL. */
export interface DialOutcome {
  DialCallStatus: 'completed' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';
  DialCallDuration?: string;
  DialCallSid?: string;
  extraParams?: Record<string, string>;
}

/**
 * The request Twilio makes when a `<Dial action>` finishes: to the action URL, resolved against the
 * URL that returned the TwiML, with the call's params plus the Dial outcome, signed as before.
 */
export function prepareDialAction(
  previous: WebhookResult,
  authToken: string,
  outcome: DialOutcome,
): WebhookRequest {
  const dial = previous.response && findVerb(previous.response, 'Dial');
  if (!dial) throw new Error('The last TwiML has no <Dial>');
  const action = dial.attributes.action;
  if (!action) throw new Error('The <Dial> has no action URL: Twilio would go on with the next verb');
  const { extraParams, ...dialParams } = outcome;
  const params: Record<string, string> = { ...previous.params, CallStatus: 'in-progress', ...extraParams };
  for (const [name, value] of Object.entries(dialParams)) if (value !== undefined) params[name] = value;
  return {
    url: new URL(action, previous.url).toString(),
    method: dial.attributes.method ?? 'POST',
    params,
    authToken,
  };
}
