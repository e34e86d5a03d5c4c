import type { Command } from '../command';
import { details, table, withNextPage } from '../table';

export const numberCommands: Command[] = [
  {
    name: 'numbers-list',
    path: 'numbers/list',
    summary: 'numbers of the main account or of a subaccount',
    usage: '[--accountSid AC...] [--pageSize 50] [--cursor C]',
    render: (body) =>
      withNextPage(
        table(body.numbers as Record<string, unknown>[], [
          'sid',
          'phoneNumber',
          'voiceApplicationSid',
          'addressRequirements',
        ]),
        body,
      ),
  },
  {
    name: 'numbers-transfer',
    path: 'numbers/transfer',
    summary: 'move a number between the main account and subaccounts',
    usage: '--phoneNumberSid PN... --toAccountSid AC... [--fromAccountSid AC...]',
    render: (body) => details(body),
  },
];
