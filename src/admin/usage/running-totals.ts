import { z } from 'zod';
import { billedSum, sum, type Amount } from './money';

const amount = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal amount');

const currencyTotal = z.object({
  currency: z.string(),
  /** Twilio's price of the usage, unrounded. */
  cost: amount,
  /** The sum of the subaccounts' billed totals (each rounded to the currency's smallest unit). */
  billed: amount,
  /** Subaccounts with usage in this currency. */
  subaccounts: z.number().int().nonnegative(),
});

const categoryTotal = z.object({
  currency: z.string(),
  category: z.string(),
  description: z.string().nullable(),
  /** The summed `usage`, when every subaccount reported it as a number in the same unit; else null. */
  usage: amount.nullable(),
  usageUnit: z.string().nullable(),
  cost: amount,
  billed: amount,
  subaccounts: z.number().int().nonnegative(),
});

/** Sums over every subaccount read so far, carried from page to page in the usage cursor. */
export const runningTotals = z.object({
  currencies: z.array(currencyTotal),
  categories: z.array(categoryTotal),
});

export type RunningTotals = z.output<typeof runningTotals>;
export type CategoryTotal = z.output<typeof categoryTotal>;

/** One subaccount's priced usage, as it is added to the running totals. */
export interface SubaccountBill {
  currency: string;
  cost: Amount;
  billed: Amount;
  categories: readonly {
    category: string;
    description: string | null;
    usage: string | null;
    usageUnit: string | null;
    cost: Amount;
    billed: Amount;
  }[];
}

export const noTotals = (): RunningTotals => ({ currencies: [], categories: [] });

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A category's running row with one more subaccount's line of it added. */
function withCategoryLine(
  seen: CategoryTotal | undefined,
  line: SubaccountBill['categories'][number],
  currency: string,
): CategoryTotal {
  const summable =
    line.usage !== null &&
    DECIMAL.test(line.usage) &&
    (!seen || (seen.usage !== null && seen.usageUnit === line.usageUnit));
  return {
    currency,
    category: line.category,
    description: seen?.description ?? line.description,
    usage: summable ? sum([seen?.usage ?? '0', line.usage as string]) : null,
    usageUnit: line.usageUnit,
    cost: sum([seen?.cost ?? '0', line.cost]),
    billed: billedSum([seen?.billed ?? '0', line.billed], currency),
    subaccounts: (seen?.subaccounts ?? 0) + 1,
  };
}

/** The totals with one more subaccount added; currencies and categories stay in name order. */
export function withSubaccount(totals: RunningTotals, bill: SubaccountBill): RunningTotals {
  const currencies = new Map(totals.currencies.map((row) => [row.currency, row]));
  const before = currencies.get(bill.currency);
  currencies.set(bill.currency, {
    currency: bill.currency,
    cost: sum([before?.cost ?? '0', bill.cost]),
    billed: billedSum([before?.billed ?? '0', bill.billed], bill.currency),
    subaccounts: (before?.subaccounts ?? 0) + 1,
  });
  const categories = new Map(totals.categories.map((row) => [`${row.currency} ${row.category}`, row]));
  for (const line of bill.categories) {
    const key = `${bill.currency} ${line.category}`;
    categories.set(key, withCategoryLine(categories.get(key), line, bill.currency));
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    currencies: [...currencies.values()].sort((a, b) => byName(a.currency, b.currency)),
    categories: [...categories.values()].sort(
      (a, b) => byName(a.currency, b.currency) || byName(a.category, b.category),
    ),
  };
}
