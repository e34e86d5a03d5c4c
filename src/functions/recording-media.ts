import { playRecordingLink } from '../admin/recordings/play-link';

/** GET /recording-media?...&signature=...: a recording's audio, for whoever holds a link from recordings/get. */
export const handler = playRecordingLink;
