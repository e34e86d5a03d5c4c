import { serviceCommand, type Command } from '../command';
import { table, withNextPage } from '../table';

export const usageCommands: Command[] = [
  serviceCommand({
    name: 'usage',
    path: '/admin/usage',
    summary: "a subaccount's usage by category, or totals across subaccounts",
    usage: '--startDate YYYY-MM-DD --endDate YYYY-MM-DD [--subaccountSid AC...] [--pageSize 20] [--cursor C]',
    render: (body) =>
      'categories' in body
        ? `${table(body.categories, ['category', 'usage', 'usageUnit', 'price'])}\n\ntotal: ${body.totalPrice} ${body.currency}`
        : withNextPage(
            table(body.subaccounts, ['subaccountSid', 'friendlyName', 'status', 'totalPrice', 'currency']),
            body,
          ),
  }),
];
