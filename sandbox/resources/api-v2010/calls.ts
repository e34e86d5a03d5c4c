import type { Handlers, RequestContext } from '../../context';
import { nowIso, rfc2822 } from '../../rest/dates';
import { invalidParameter } from '../../rest/errors';
import { pageV2010 } from '../../rest/paging';
import type { Call } from '../../state/types';
import { ownedBy, pathAccountSid } from './account-scope';
import { dateFilter } from './date-filters';
import { accountUri } from './uris';

const callJson = (call: Call) => {
  const uri = `${accountUri(call.accountSid)}/Calls/${call.sid}`;
  const seconds =
    call.startTime && call.endTime
      ? Math.round((Date.parse(call.endTime) - Date.parse(call.startTime)) / 1000)
      : null;
  return {
    sid: call.sid,
    date_created: rfc2822(call.dateCreated),
    date_updated: rfc2822(call.dateUpdated),
    parent_call_sid: call.parentCallSid ?? null,
    account_sid: call.accountSid,
    to: call.to,
    to_formatted: call.to,
    from: call.from,
    from_formatted: call.from,
    phone_number_sid: null,
    status: call.status,
    start_time: call.startTime && rfc2822(call.startTime),
    end_time: call.endTime && rfc2822(call.endTime),
    duration: seconds === null ? null : String(seconds),
    price: call.price ?? null,
    price_unit: 'USD',
    direction: call.direction,
    answered_by: null,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri: `${uri}.json`,
    subresource_uris: {
      notifications: `${uri}/Notifications.json`,
      recordings: `${uri}/Recordings.json`,
    },
  };
};

function findCall(context: RequestContext): Call {
  return ownedBy(context, context.state.calls, pathAccountSid(context));
}

const LIVE: Call['status'][] = ['queued', 'ringing', 'in-progress'];

export const callHandlers: Handlers = {
  /**
   * Twilio's filters: Status, To, From, ParentCallSid, and StartTime/EndTime on, before or after a date
   * (date-filters.ts); direction is not one of them. Newest first.
   */
  ListCall: (context) => {
    const accountSid = pathAccountSid(context);
    const { query } = context;
    const status = query.get('Status');
    const to = query.get('To');
    const from = query.get('From');
    const parent = query.get('ParentCallSid');
    const started = dateFilter(query, 'StartTime');
    const ended = dateFilter(query, 'EndTime');
    const calls = context.state.calls
      .filter(
        (call) =>
          call.accountSid === accountSid &&
          (status === null || call.status === status) &&
          (to === null || call.to === to) &&
          (from === null || call.from === from) &&
          (parent === null || call.parentCallSid === parent) &&
          started(call.startTime) &&
          ended(call.endTime),
      )
      .sort((a, b) => b.dateCreated.localeCompare(a.dateCreated));
    return { status: 200, body: pageV2010(calls.map(callJson), context, 'calls') };
  },

  FetchCall: (context) => ({ status: 200, body: callJson(findCall(context)) }),

  /** Ending a call: `completed` hangs up a live call, `canceled` only one not yet answered. */
  UpdateCall: (context) => {
    const call = findCall(context);
    const status = context.body.get('Status');
    if (status !== null && status !== 'completed' && status !== 'canceled') {
      throw invalidParameter('Status must be completed or canceled');
    }
    const ends =
      (status === 'completed' && LIVE.includes(call.status)) ||
      (status === 'canceled' && (call.status === 'queued' || call.status === 'ringing'));
    if (ends) {
      const now = nowIso();
      call.status = status;
      call.endTime = now;
      call.dateUpdated = now;
    }
    return { status: 200, body: callJson(call) };
  },
};
