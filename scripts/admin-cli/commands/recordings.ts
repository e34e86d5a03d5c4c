import { serviceCommand, type Command } from '../command';
import { details, table, withNextPage } from '../table';

export const recordingCommands: Command[] = [
  serviceCommand({
    name: 'recordings-list',
    path: '/admin/recordings/list',
    summary: "a subaccount's call recordings and voicemail, newest first",
    usage:
      '--subaccountSid AC... [--kind call|voicemail] [--callSid CA...] [--startDate YYYY-MM-DD] [--endDate YYYY-MM-DD] [--pageSize 50] [--cursor C]',
    render: (body) =>
      withNextPage(
        table(body.recordings, [
          'sid',
          'kind',
          'callSid',
          'durationSeconds',
          'channels',
          'price',
          'createdAt',
        ]),
        body,
      ),
  }),
  serviceCommand({
    name: 'recordings-get',
    path: '/admin/recordings/get',
    summary: 'a recording, with a link that plays it for 15 minutes (no Twilio credentials needed)',
    usage: '--subaccountSid AC... --recordingSid RE...',
    render: (body) =>
      details({ ...body.recording, link: body.media.url, linkExpiresAt: body.media.expiresAt }),
  }),
  serviceCommand({
    name: 'recordings-delete',
    path: '/admin/recordings/delete',
    summary: 'delete a recording on Twilio (idempotent)',
    usage: '--subaccountSid AC... --recordingSid RE...',
    render: (body) => details(body),
  }),
  serviceCommand({
    name: 'calls-list',
    path: '/admin/calls/list',
    summary: "a subaccount's calls with duration, price and recordings, newest first",
    usage:
      '--subaccountSid AC... [--startDate YYYY-MM-DD] [--endDate YYYY-MM-DD] [--status completed] [--direction inbound|outbound-dial|outbound-api] [--pageSize 50] [--cursor C]',
    render: (body) =>
      withNextPage(
        table(
          body.calls.map((call) => ({ ...call, recordings: call.recordingSids.length })),
          ['sid', 'direction', 'from', 'to', 'startTime', 'durationSeconds', 'status', 'price', 'recordings'],
        ),
        body,
      ),
  }),
];
