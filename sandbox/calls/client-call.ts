import { createCall } from '../state/seed';
import type { SandboxState } from '../state/types';
import { verifyVoiceToken } from './access-token';
import { applicationTarget, authTokenOf, baseCallParams } from './voice-target';
import type { WebhookRequest } from './webhook';

export interface ClientCallOptions {
  token: string;
  /** A number or a client identity, passed on as `To`. */
  to: string;
  /** Custom parameters the Voice SDK's connect({ params }) sends. */
  params?: Record<string, string>;
}

/** An outgoing call from a browser client: the token's TwiML App gets the webhook, signed by its account. */
export function prepareClientCall(
  state: SandboxState,
  options: ClientCallOptions,
): WebhookRequest & { callSid: string } {
  const verified = verifyVoiceToken(state, options.token);
  const app = state.applications.find((a) => a.sid === verified.applicationSid);
  const target = applicationTarget(app as NonNullable<typeof app>);
  const authToken = authTokenOf(state, verified.accountSid);
  const from = `client:${verified.identity}`;
  const call = createCall(state, {
    accountSid: verified.accountSid,
    from,
    to: options.to,
    status: 'ringing',
  });
  call.applicationSid = verified.applicationSid;
  return {
    ...target,
    authToken,
    callSid: call.sid,
    params: {
      ...verified.grantParams,
      ...options.params,
      ...baseCallParams({ callSid: call.sid, accountSid: verified.accountSid, from, to: options.to }),
      // A client call has no dialled number of ours: Twilio leaves Called empty.
      Called: '',
      ApplicationSid: verified.applicationSid,
    },
  };
}
