import { csvText, spreadsheetCell } from './csv';
import { TOTAL_PRICE, type PricedUsage } from './usage-records';

const HEADER = [
  'subaccountSid',
  'friendlyName',
  'status',
  'startDate',
  'endDate',
  'currency',
  'category',
  'description',
  'count',
  'countUnit',
  'usage',
  'usageUnit',
  'cost',
  'markupPercent',
  'billed',
];

export interface CsvSubaccount {
  subaccountSid: string;
  friendlyName: string;
  status: string;
  /** Null for a subaccount Twilio deleted: it has no usage and gets no rows. */
  bill: PricedUsage | null;
}

export interface UsageCsvRange {
  startDate: string;
  endDate: string;
  markupPercent: string;
  /** The first page carries the header row; later pages do not, so pages concatenate into one file. */
  withHeader: boolean;
}

/**
 * Usage as CSV for a spreadsheet: one row per subaccount and category, then the subaccount's
 * `totalprice` row. Twilio's grouping categories overlap their parts (`calls` holds `calls-inbound`),
 * so a subaccount's total is its `totalprice` row, not the sum of its other rows.
 */
export function usageCsv(range: UsageCsvRange, subaccounts: readonly CsvSubaccount[]): string {
  const rows: string[][] = range.withHeader ? [HEADER] : [];
  for (const { subaccountSid, friendlyName, status, bill } of subaccounts) {
    if (!bill) continue;
    const lines = [
      ...bill.categories,
      {
        category: TOTAL_PRICE,
        description: 'Total Price',
        count: null,
        countUnit: null,
        usage: null,
        usageUnit: null,
        cost: bill.cost,
        billed: bill.billed,
      },
    ];
    for (const line of lines) {
      rows.push(
        [
          subaccountSid,
          friendlyName,
          status,
          range.startDate,
          range.endDate,
          bill.currency,
          line.category,
          line.description ?? '',
          line.count ?? '',
          line.countUnit ?? '',
          line.usage ?? '',
          line.usageUnit ?? '',
          line.cost,
          range.markupPercent,
          line.billed,
        ].map(spreadsheetCell),
      );
    }
  }
  return csvText(rows);
}

/** The download name of a usage CSV: its date range, which is what a person files it by. */
export const usageCsvFilename = (startDate: string, endDate: string): string =>
  `usage-${startDate}-to-${endDate}.csv`;
