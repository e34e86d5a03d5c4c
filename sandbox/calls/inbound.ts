import { TwilioError } from '../rest/errors';
import { createCall } from '../state/seed';
import type { SandboxState } from '../state/types';
import { applicationTarget, authTokenOf, baseCallParams, type VoiceTarget } from './voice-target';
import type { WebhookRequest } from './webhook';

export interface InboundCallOptions {
  to: string;
  from?: string;
  extraParams?: Record<string, string>;
}

/**
 * An inbound call to a number: the webhook goes to the number's voice application (or its own VoiceUrl)
 * and is signed with the auth token of the account owning the number.
 */
export function prepareInboundCall(
  state: SandboxState,
  options: InboundCallOptions,
): WebhookRequest & { callSid: string } {
  const number = state.incomingPhoneNumbers.find((n) => n.phoneNumber === options.to);
  if (!number) throw new TwilioError(404, 20404, `No account owns ${options.to}`);
  let target: VoiceTarget | undefined;
  if (number.voiceApplicationSid) {
    const app = state.applications.find((a) => a.sid === number.voiceApplicationSid);
    if (!app) throw new TwilioError(404, 20404, `Application ${number.voiceApplicationSid} not found`);
    target = applicationTarget(app);
  } else if (number.voiceUrl) {
    target = { url: number.voiceUrl, method: number.voiceMethod };
  }
  if (!target) throw new TwilioError(400, 21205, `${options.to} has no voice application or VoiceUrl`);
  const authToken = authTokenOf(state, number.accountSid);
  const from = options.from ?? '+15005550006';
  const call = createCall(state, {
    accountSid: number.accountSid,
    from,
    to: number.phoneNumber,
    status: 'ringing',
  });
  call.applicationSid = number.voiceApplicationSid;
  const us = number.phoneNumber.startsWith('+1');
  return {
    ...target,
    authToken,
    callSid: call.sid,
    params: {
      ...baseCallParams({ callSid: call.sid, accountSid: number.accountSid, from, to: number.phoneNumber }),
      ...(us ? { ToCountry: 'US', CalledCountry: 'US' } : {}),
      ...options.extraParams,
    },
  };
}
