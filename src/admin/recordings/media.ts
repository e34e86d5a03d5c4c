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
 * recordings are refused (413 `media_too_large`), rather than cut off: by their Content-Length before
 * their body is read, and by the bytes counted as they arrive when there is none (a chunked answer),
 * so no more than this much is ever held.
 */
export const MAX_MEDIA_BYTES = 20 * 1024 * 1024;

/**
 * The formats Twilio serves a recording's media in, by file extension, and the type answered for each
 * (https://www.twilio.com/docs/voice/api/recording#fetch-a-recording-media-file: `.wav` is
 * `audio/x-wav`, `.mp3` is `audio/mpeg`). The type is ours, never the upstream's: whatever the
 * upstream says, what goes out under our origin is audio, named by its registered type (`audio/wav`;
 * `audio/x-wav` is its older alias).
 */
export const MEDIA_FORMATS = { wav: 'audio/wav', mp3: 'audio/mpeg' } as const;
export type MediaFormat = keyof typeof MEDIA_FORMATS;

export interface RecordingMedia {
  contentType: (typeof MEDIA_FORMATS)[MediaFormat];
  body: Buffer;
}

const tooLarge = () =>
  new ServiceError(
    413,
    'media_too_large',
    `The recording is larger than ${MAX_MEDIA_BYTES / 1024 / 1024} MiB, more than this service passes on within its time limit.`,
  );

/** An account SID and auth token, as HTTP basic auth sends them. */
export interface MediaCredentials {
  username: string;
  password: string;
}

/**
 * The audio of a recording in `claims.format` (https://www.twilio.com/docs/voice/api/recording#fetch-a-recording-media-file),
 * fetched with `credentials`: the main account's for a subaccount (they reach its subaccounts'
 * recordings), a connected account's own for its recordings (play-link.ts says which). One request.
 */
export async function fetchRecordingMedia(
  config: ServiceConfig,
  claims: MediaLinkClaims,
  credentials: MediaCredentials,
): Promise<RecordingMedia> {
  const format = claims.format;
  const path = `/2010-04-01/Accounts/${claims.subaccountSid}/Recordings/${claims.recordingSid}.${format}`;
  let uri = `https://api.twilio.com${path}`;
  let headers: Record<string, string> = {
    Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
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
  if (answer.status === 401) {
    // A connected account whose owner changed its auth token: the only credentials that reach it.
    throw new ServiceError(
      502,
      'twilio_credentials_refused',
      `Twilio refused the credentials this service holds for ${claims.subaccountSid}; a connected account's must be updated (update-credentials).`,
    );
  }
  if (!answer.ok) {
    throw new ServiceError(502, 'twilio_unavailable', `Twilio answered ${answer.status} for the recording.`);
  }
  if (Number(answer.headers.get('content-length') ?? 0) > MAX_MEDIA_BYTES) {
    await answer.body?.cancel();
    throw tooLarge();
  }
  return { contentType: MEDIA_FORMATS[format], body: await boundedBody(answer) };
}

/** The body, read chunk by chunk and abandoned (the connection closed) past MAX_MEDIA_BYTES. */
async function boundedBody(answer: Response): Promise<Buffer> {
  const reader = answer.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks, bytes);
      bytes += value.byteLength;
      if (bytes > MAX_MEDIA_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    throw new ServiceError(
      504,
      'twilio_timeout',
      'Twilio did not send the whole recording in time; try again.',
    );
  }
}
