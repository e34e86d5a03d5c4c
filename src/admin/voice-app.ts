import type { AdminDeps } from './deps';
import { twilioCall } from './twilio-call';

/** Friendly name of the TwiML App every subaccount's browser calls and numbers use. */
export const VOICE_APP_NAME = 'browser-calling';

/** The shared voice webhook: the Voice URL of every subaccount's TwiML App. */
export const voiceUrlOf = (deps: AdminDeps): string => `${deps.config.publicBaseUrl}/voice`;

/** Creates the subaccount's TwiML App pointing at our /voice; returns its SID. */
export async function createVoiceApp(deps: AdminDeps, subaccountSid: string): Promise<string> {
  const app = await twilioCall(
    `Creating the TwiML App of ${subaccountSid}`,
    deps.clients.actingOn(subaccountSid).applications.create({
      friendlyName: VOICE_APP_NAME,
      voiceUrl: voiceUrlOf(deps),
      voiceMethod: 'POST',
    }),
  );
  return app.sid;
}
