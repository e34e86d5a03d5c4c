import { serviceCommand, type Command } from '../command';
import { table, withNextPage } from '../table';

export const usageCommands: Command[] = [
  serviceCommand({
    name: 'usage',
    path: '/admin/usage',
    summary:
      "a subaccount's usage by category, or totals across subaccounts with grand totals; --format csv writes every page as CSV",
    usage:
      '--startDate YYYY-MM-DD --endDate YYYY-MM-DD [--subaccountSid AC...] [--markupPercent 15] [--format csv] [--pageSize 20] [--cursor C | --all]',
    render: (body) =>
      'categories' in body
        ? `${table(body.categories, ['category', 'usage', 'usageUnit', 'cost', 'billed'])}\n\ntotal: ${body.cost} ${body.currency}, billed ${body.billed} (markup ${body.markupPercent}%)`
        : withNextPage(
            [
              table(body.subaccounts, [
                'subaccountSid',
                'friendlyName',
                'status',
                'currency',
                'cost',
                'billed',
              ]),
              '',
              `by category${body.complete ? '' : ' (so far)'}:`,
              table(body.byCategory, [
                'currency',
                'category',
                'usage',
                'usageUnit',
                'cost',
                'billed',
                'subaccounts',
              ]),
              '',
              `grand totals${body.complete ? '' : ' so far (go on with the next page)'}, markup ${body.markupPercent}%:`,
              table(body.totals, ['currency', 'cost', 'billed', 'subaccounts']),
            ].join('\n'),
            body,
          ),
    // Each page carries the totals so far (in its cursor), so the last page's totals are the whole's;
    // only the subaccounts add up.
    pages: {
      noun: 'subaccounts',
      merge: (sofar, next) =>
        'subaccounts' in sofar && 'subaccounts' in next
          ? { ...next, subaccounts: [...sofar.subaccounts, ...next.subaccounts] }
          : next,
      count: (body) => ('subaccounts' in body ? body.subaccounts.length : 1),
    },
  }),
];
