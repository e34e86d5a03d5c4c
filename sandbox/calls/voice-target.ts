import { TwilioError } from '../rest/errors';
import type { Application, SandboxState } from '../state/types';

export interface VoiceTarget {
  url: string;
  method: string;
}

export function applicationTarget(app: Application): VoiceTarget {
  if (!app.voiceUrl) throw new TwilioError(400, 21205, `Application ${app.sid} has no VoiceUrl`);
  return { url: app.voiceUrl, method: app.voiceMethod };
}

export function authTokenOf(state: SandboxState, accountSid: string): string {
  const account = state.accounts.find((a) => a.sid === accountSid);
  if (!account) throw new TwilioError(404, 20404, `Account ${accountSid} not found`);
  if (account.status !== 'active') throw new TwilioError(403, 10001, 'Account is not active');
  return account.authToken;
}

/** The params Twilio sends on every voice webhook of a new call. */
export function baseCallParams(fields: {
  callSid: string;
  accountSid: string;
  from: string;
  to: string;
}): Record<string, string> {
  return {
    AccountSid: fields.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: fields.callSid,
    CallStatus: 'ringing',
    Called: fields.to,
    Caller: fields.from,
    Direction: 'inbound',
    From: fields.from,
    To: fields.to,
  };
}
