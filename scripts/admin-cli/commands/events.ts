import { serviceCommand, type Command } from '../command';
import { table, withNextPage } from '../table';

export const eventCommands: Command[] = [
  serviceCommand({
    name: 'redeliver',
    path: '/admin/events/redeliver',
    summary: 'send the events your back-end did not receive again (a page, oldest first, or one)',
    usage: '[--eventId evt_...] [--pageSize 10] [--cursor evt_...]',
    render: (body) =>
      withNextPage(
        `delivered:\n${table(body.delivered, ['id', 'type', 'subaccountSid', 'created'])}\n\nstill pending:\n${table(
          body.pending,
          ['id', 'type', 'subaccountSid', 'attempts', 'lastError'],
        )}`,
        body,
      ),
  }),
];
