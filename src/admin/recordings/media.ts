import type { ServiceConfig } from '../../config/config';
import { notFound, ServiceError } from '../../errors/service-error';
import { rerouted } from '../../twilio/request-client';
import type { MediaLinkClaims } from './media-link';

/**
 * The 10 s a Function has bound this: the whole fetch, headers and body, must end within
 * MEDIA_FETCH_TIMEOUT_MS, leaving time to answer.
 */
const MEDIA_FETCH_TIMEOUT_MS = 7000;

/**
 * The largest recording passed on. Twilio documents no response size limit for Functions that we
 * could confirm; the bound that holds is time. WAV is 8 kHz 16-bit PCM, 16 KB/s per channel: a
 * 2-minute voicemail is about 1.9 MB, and 20 MiB is about 10 minutes of a dual-channel call. Longer
 * recordings are refused before their body is read (413 `media_too_large`), rather than cut off.
 */
export const MAX_MEDIA_BYTES = 20 * 1024 * 1024;

export interface RecordingMedia {
  contentType: string;
  body: Buffer;
}

/**
 * The WAV audio of a recording (https://www.twilio.com/docs/voice/api/recording#fetch-a-recording-media-file),
 * fetched with the main account's credentials, which reach its subaccounts' recordings. One request.
 */
export async function fetchRecordingMedia(
  config: ServiceConfig,
  claims: MediaLinkClaims,
): Promise<RecordingMedia> {
  const path = `/2010-04-01/Accounts/${claims.subaccountSid}/Recordings/${claims.recordingSid}.wav`;
  let uri = `https://api.twilio.com${path}`;
  let headers: Record<string, string> = {
    Authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`,
  };
  if (config.twilioApiBaseUrl) ({ uri, headers } = rerouted(uri, headers, new URL(config.twilioApiBaseUrl)));
  let answer: Response;
  try {
    answer = await fetch(uri, { headers, signal: AbortSignal.timeout(MEDIA_FETCH_TIMEOUT_MS) });
  } catch {
    throw new ServiceError(504, 'twilio_timeout', 'Twilio did not send the recording in time; try again.');
  }
  if (answer.status === 404) {
    throw notFound('twilio_not_found', `Recording ${claims.recordingSid} no longer exists on Twilio.`);
  }
  if (!answer.ok) {
    throw new ServiceError(502, 'twilio_unavailable', `Twilio answered ${answer.status} for the recording.`);
  }
  if (Number(answer.headers.get('content-length') ?? 0) > MAX_MEDIA_BYTES) {
    await answer.body?.cancel();
    throw new ServiceError(
      413,
      'media_too_large',
      `The recording is larger than ${MAX_MEDIA_BYTES / 1024 / 1024} MiB, more than this service passes on within its time limit.`,
    );
  }
  try {
    return {
      contentType: answer.headers.get('content-type') ?? 'audio/x-wav',
      body: Buffer.from(await answer.arrayBuffer()),
    };
  } catch {
    throw new ServiceError(
      504,
      'twilio_timeout',
      'Twilio did not send the whole recording in time; try again.',
    );
  }
}
