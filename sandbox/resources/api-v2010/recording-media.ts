import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, authorizeAccount } from '../../rest/auth';
import { recordingWav } from './recording-audio';
import { errorBody, notFound, TwilioError } from '../../rest/errors';
import type { LoggedRequest } from '../../request-log';
import type { ServerCore } from '../../server';
import { sidSource } from '../../../src/vocabulary';

const MEDIA_PATH = new RegExp(
  `^/2010-04-01/Accounts/(${sidSource('AC')})/Recordings/(${sidSource('RE')})(\\.wav|\\.mp3)?$`,
);

/** Whether a request is for a recording's media, which twilio-oai does not describe (it is not JSON). */
export function isRecordingMedia(request: IncomingMessage): boolean {
  const path = new URL(request.url ?? '/', 'http://sandbox').pathname;
  const host = String(request.headers['x-twilio-host'] ?? 'api.twilio.com').toLowerCase();
  return host === 'api.twilio.com' && request.method === 'GET' && MEDIA_PATH.test(path);
}

/**
 * A recording's media: `GET .../Recordings/{Sid}` or `{Sid}.wav` answers WAV
 * (https://www.twilio.com/docs/voice/api/recording#fetch-a-recording-media-file), with HTTP Basic auth
 * required, as on every account made since Twilio started enforcing it on media URLs
 * (https://support.twilio.com/hc/en-us/articles/15827821586843). The audio is a tone the sandbox
 * generates (recording-audio.ts, beside it). Twilio also serves `.mp3`; the sandbox has no MP3
 * encoder and answers 404 with a message saying so, rather than pretending.
 */
export function serveRecordingMedia(
  core: ServerCore,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const path = new URL(request.url ?? '/', 'http://sandbox').pathname;
  const [, accountSid = '', recordingSid = '', extension = ''] = MEDIA_PATH.exec(path) ?? [];
  const entry: LoggedRequest = {
    method: 'GET',
    host: 'api.twilio.com',
    path,
    query: {},
    fields: [],
    operationId: 'FetchRecordingMedia',
    status: null,
    accountSid: null,
    credentialKind: null,
    fault: null,
  };
  core.log.push(entry);
  const answer = (status: number, type: string, body: string | Buffer) => {
    entry.status = status;
    response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
  };
  try {
    core.letTimePass();
    const credential = authenticate(core.state, request.headers.authorization);
    entry.accountSid = credential.accountSid;
    entry.credentialKind = credential.kind;
    authorizeAccount(core.state, credential, accountSid);
    const recording = core.state.recordings.find(
      (r) => r.sid === recordingSid && r.accountSid === accountSid,
    );
    if (!recording) throw notFound(path);
    if (extension === '.mp3') {
      throw new TwilioError(404, 20404, 'The sandbox generates WAV media only: ask for .wav');
    }
    answer(200, 'audio/x-wav', recordingWav(recording.durationSeconds, recording.channels));
  } catch (error) {
    const refusal =
      error instanceof TwilioError ? error : new TwilioError(500, 20500, 'Internal Server Error');
    answer(refusal.status, 'application/json', JSON.stringify(errorBody(refusal)));
  }
}
