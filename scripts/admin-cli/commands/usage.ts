import type { Command } from '../command';
import { table, withNextPage } from '../table';

export const usageCommands: Command[] = [
  {
    name: 'usage',
    path: 'usage',
    summary: "a subaccount's usage by category, or totals across subaccounts",
    usage: '--startDate YYYY-MM-DD --endDate YYYY-MM-DD [--subaccountSid AC...] [--pageSize 20] [--cursor C]',
    render: (body) =>
      body.categories
        ? `${table(body.categories as Record<string, unknown>[], ['category', 'usage', 'usageUnit', 'price'])}\n\ntotal: ${String(body.totalPrice)} ${String(body.currency)}`
        : withNextPage(
            table(body.subaccounts as Record<string, unknown>[], [
              'subaccountSid',
              'friendlyName',
              'status',
              'totalPrice',
              'currency',
            ]),
            body,
          ),
  },
];
