import type { AdminDeps } from './deps';
import { twilioCall } from './twilio-call';
import { CALL_STATUS_PATH } from '../voice/voice-links';

/** Friendly name of the TwiML App every subaccount's browser calls and numbers use. */
export const VOICE_APP_NAME = 'browser-calling';

/** The shared voice webhook: the Voice URL of every subaccount's TwiML App. */
export const voiceUrlOf = (deps: AdminDeps): string => `${deps.config.publicBaseUrl}/voice`;

/**
 * Where Twilio reports the end of every call of the App, inbound or from a browser (its
 * StatusCallback: https://www.twilio.com/docs/usage/api/applications#application-properties, used for
 * a number's calls when the number runs on the App), so `call.completed` is posted for both.
 */
export const callStatusUrlOf = (deps: AdminDeps): string => deps.config.publicBaseUrl + CALL_STATUS_PATH;

/** Everything of the App this service sets, as the REST API takes it. */
export const voiceAppSettings = (deps: AdminDeps) => ({
  voiceUrl: voiceUrlOf(deps),
  voiceMethod: 'POST',
  statusCallback: callStatusUrlOf(deps),
  statusCallbackMethod: 'POST',
});

/** Whether an App is set up as this service sets it: create, check and adopt judge Apps by this. */
function isServiceVoiceApp(
  deps: AdminDeps,
  app: { voiceUrl?: string | null; statusCallback?: string | null },
): boolean {
  return app.voiceUrl === voiceUrlOf(deps) && app.statusCallback === callStatusUrlOf(deps);
}

/**
 * An App of this service found on /voice, reused: set as this service sets Apps now (an App made by
 * another version of this service lacks the StatusCallback) with one update when it differs; returns its SID.
 */
export async function alignVoiceApp(
  deps: AdminDeps,
  subaccountSid: string,
  app: { sid: string; voiceUrl: string | null; statusCallback: string | null },
): Promise<string> {
  if (!isServiceVoiceApp(deps, app)) {
    await twilioCall(
      `Setting up TwiML App ${app.sid} of ${subaccountSid}`,
      deps.clients.actingOn(subaccountSid).applications(app.sid).update(voiceAppSettings(deps)),
    );
  }
  return app.sid;
}

/** Creates the subaccount's TwiML App pointing at our /voice; returns its SID. */
export async function createVoiceApp(deps: AdminDeps, subaccountSid: string): Promise<string> {
  const app = await twilioCall(
    `Creating the TwiML App of ${subaccountSid}`,
    deps.clients.actingOn(subaccountSid).applications.create({
      friendlyName: VOICE_APP_NAME,
      ...voiceAppSettings(deps),
    }),
  );
  return app.sid;
}
