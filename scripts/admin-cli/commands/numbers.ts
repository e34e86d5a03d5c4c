import { serviceCommand, type Command } from '../command';
import { details, table, withNextPage } from '../table';

export const numberCommands: Command[] = [
  serviceCommand({
    name: 'numbers-list',
    path: '/admin/numbers/list',
    summary: 'numbers of the main account or of a subaccount',
    usage: '[--accountSid AC...] [--pageSize 50] [--cursor C]',
    render: (body) =>
      withNextPage(
        table(body.numbers, ['sid', 'phoneNumber', 'voiceApplicationSid', 'addressRequirements']),
        body,
      ),
  }),
  serviceCommand({
    name: 'numbers-transfer',
    path: '/admin/numbers/transfer',
    summary:
      'move a number between the main account and subaccounts (a number that needs an Address takes one of the gaining account: see address-add)',
    usage: '--phoneNumberSid PN... --toAccountSid AC... [--fromAccountSid AC...] [--addressSid AD...]',
    render: (body) => details(body),
  }),
];
