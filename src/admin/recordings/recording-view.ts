import type { RecordingInstance } from 'twilio/lib/rest/api/v2010/account/recording';

/** `voicemail` for a `<Record>` (our voicemail), `call` for a recorded call (a `<Dial record>`, or any other source). */
export type RecordingKind = 'call' | 'voicemail';

export const kindOf = (source: string): RecordingKind => (source === 'RecordVerb' ? 'voicemail' : 'call');

/** A recording as admins see it: facts and identifiers, never its media URL (that needs credentials). */
export function recordingView(recording: RecordingInstance) {
  return {
    sid: recording.sid,
    callSid: recording.callSid,
    kind: kindOf(recording.source),
    source: recording.source,
    status: recording.status,
    channels: recording.channels,
    durationSeconds: recording.duration === null ? null : Number(recording.duration),
    price: recording.price || null,
    priceUnit: recording.priceUnit || null,
    startTime: recording.startTime?.toISOString() ?? null,
    createdAt: recording.dateCreated.toISOString(),
  };
}

/** Midnight UTC starting `date` (YYYY-MM-DD), and the last second of `date`, as Twilio's filters take them. */
export const dayStart = (date: string) => new Date(`${date}T00:00:00Z`);
export const dayEnd = (date: string) => new Date(`${date}T23:59:59Z`);
