import { logger } from '../log/logger';
import type { VoiceRequest } from './voice-webhook';

const log = logger('recording');

/** The fields of a recording status callback worth keeping: identifiers and facts, no media URL. */
const LOGGED_FIELDS = [
  'AccountSid',
  'CallSid',
  'RecordingSid',
  'RecordingStatus',
  'RecordingDuration',
  'RecordingChannels',
  'RecordingSource',
  'ErrorCode',
] as const;

/**
 * Records that a recording finished (or failed) in the Functions log. The recording's URL is left
 * out: media URLs can be fetched without credentials unless the account enforces HTTP auth on media.
 */
export function logRecordingStatus(request: VoiceRequest): void {
  const fields: Record<string, string> = {};
  for (const name of LOGGED_FIELDS) {
    const value = request.param(name);
    if (value !== undefined) fields[name] = value;
  }
  if (fields.RecordingStatus === 'failed' || fields.RecordingStatus === 'absent') {
    log.error('recording did not complete', fields);
  } else {
    log.debug('recording status', fields);
  }
}
