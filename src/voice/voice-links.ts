import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';

/** The paths of the voice webhooks (each is also the path its signature is computed over). */
export const VOICE_PATH = '/voice';
export const DIAL_STATUS_PATH = '/voice/dial-status';
export const RECORDING_STATUS_PATH = '/voice/recording-status';
/** The TwiML App's StatusCallback: Twilio reports there when any call of the App ends. */
export const CALL_STATUS_PATH = '/voice/call-status';

/** Absolute callback URLs put into TwiML, on PUBLIC_BASE_URL, so Twilio signs exactly what we verify. */
export interface VoiceLinks {
  dialStatus: string;
  recordingStatus: string;
}

// Built once per configuration: warm requests reuse them.
const links = perConfig((config): VoiceLinks =>
  Object.freeze({
    dialStatus: config.publicBaseUrl + DIAL_STATUS_PATH,
    recordingStatus: config.publicBaseUrl + RECORDING_STATUS_PATH,
  }),
);

export function voiceLinks(config: ServiceConfig): VoiceLinks {
  return links.of(config);
}
