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
  serviceCommand({
    name: 'address-add',
    path: '/admin/addresses/create',
    summary:
      'add an Address to the main account or a subaccount, for a number whose address requirement asks for one',
    usage:
      '--accountSid AC... --customerName N --street S [--streetSecondary S] --city C --region R --postalCode P --isoCountry US [--friendlyName F]',
    render: (body) =>
      `${details(body.address)}\n\n${body.created ? 'added' : 'the account had this address already: nothing added'}`,
  }),
];
