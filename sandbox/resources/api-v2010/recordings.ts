import type { Handlers, RequestContext } from '../../context';
import { rfc2822 } from '../../rest/dates';
import { notFound } from '../../rest/errors';
import { pageV2010 } from '../../rest/paging';
import type { Recording } from '../../state/types';
import { pathAccountSid } from './account-scope';
import { dateFilter } from './date-filters';
import { accountUri } from './uris';

/** A Recording as Twilio answers it (https://www.twilio.com/docs/voice/api/recording). */
export const recordingJson = (recording: Recording) => {
  const base = `${accountUri(recording.accountSid)}/Recordings/${recording.sid}`;
  return {
    account_sid: recording.accountSid,
    api_version: '2010-04-01',
    call_sid: recording.callSid,
    conference_sid: null,
    date_created: rfc2822(recording.dateCreated),
    date_updated: rfc2822(recording.dateUpdated),
    start_time: rfc2822(recording.startTime),
    duration: String(recording.durationSeconds),
    sid: recording.sid,
    price: recording.price,
    price_unit: 'USD',
    status: recording.status,
    channels: recording.channels,
    source: recording.source,
    error_code: null,
    uri: `${base}.json`,
    encryption_details: null,
    subresource_uris: {
      add_on_results: `${base}/AddOnResults.json`,
      transcriptions: `${base}/Transcriptions.json`,
    },
    // Without an extension Twilio serves WAV; `.wav` or `.mp3` choose (the sandbox serves WAV only).
    media_url: `https://api.twilio.com${base}`,
  };
};

/** Newest first, as Twilio lists recordings. */
const newestFirst = (a: Recording, b: Recording) => b.dateCreated.localeCompare(a.dateCreated);

function listed(context: RequestContext, accountSid: string, callSid: string | null) {
  const created = dateFilter(context.query, 'DateCreated');
  return context.state.recordings
    .filter(
      (recording) =>
        recording.accountSid === accountSid &&
        (callSid === null || recording.callSid === callSid) &&
        created(recording.dateCreated),
    )
    .sort(newestFirst)
    .map(recordingJson);
}

function findRecording(context: RequestContext): Recording {
  const accountSid = pathAccountSid(context);
  const callSid = context.params.CallSid;
  const found = context.state.recordings.find(
    (recording) =>
      recording.sid === context.params.Sid &&
      recording.accountSid === accountSid &&
      (callSid === undefined || recording.callSid === callSid),
  );
  if (!found) throw notFound(context.path);
  return found;
}

/** Deleting removes the recording and its media; a second delete is a 404, as on Twilio. */
function deleteRecording(context: RequestContext) {
  const recording = findRecording(context);
  context.state.recordings = context.state.recordings.filter((r) => r.sid !== recording.sid);
  return { status: 204 };
}

export const recordingHandlers: Handlers = {
  ListRecording: (context) => {
    const accountSid = pathAccountSid(context);
    const items = listed(context, accountSid, context.query.get('CallSid'));
    return { status: 200, body: pageV2010(items, context, 'recordings') };
  },
  FetchRecording: (context) => ({ status: 200, body: recordingJson(findRecording(context)) }),
  DeleteRecording: deleteRecording,
  ListCallRecording: (context) => {
    const accountSid = pathAccountSid(context);
    const items = listed(context, accountSid, context.params.CallSid ?? '');
    return { status: 200, body: pageV2010(items, context, 'recordings') };
  },
  FetchCallRecording: (context) => ({ status: 200, body: recordingJson(findRecording(context)) }),
  DeleteCallRecording: deleteRecording,
};
