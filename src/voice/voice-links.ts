import type { ServiceConfig } from '../config/config';

/** The paths of the voice webhooks (each is also the path its signature is computed over). */
export const VOICE_PATH = '/voice';
export const DIAL_STATUS_PATH = '/voice/dial-status';
export const RECORDING_STATUS_PATH = '/voice/recording-status';

/** Absolute callback URLs put into TwiML, on PUBLIC_BASE_URL, so Twilio signs exactly what we verify. */
export interface VoiceLinks {
  dialStatus: string;
  recordingStatus: string;
}

// loadConfig hands out one object per configuration, so the links are built once per configuration.
const links = new WeakMap<ServiceConfig, VoiceLinks>();

export function voiceLinks(config: ServiceConfig): VoiceLinks {
  let built = links.get(config);
  if (!built) {
    built = Object.freeze({
      dialStatus: config.publicBaseUrl + DIAL_STATUS_PATH,
      recordingStatus: config.publicBaseUrl + RECORDING_STATUS_PATH,
    });
    links.set(config, built);
  }
  return built;
}
