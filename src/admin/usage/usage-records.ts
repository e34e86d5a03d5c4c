import type { AdminDeps } from '../deps';
import { twilioCall } from '../twilio-call';
import { amountOf, billed, isZero, sum, type Amount } from './money';
import type { SubaccountBill } from './running-totals';

/** Twilio's category that sums every priced category (others overlap, e.g. `calls` and `calls-inbound`). */
export const TOTAL_PRICE = 'totalprice';

/** One category of a subaccount's usage as Twilio reports it, its price as an exact amount. */
export interface CategoryUsage {
  category: string;
  description: string | null;
  count: string | null;
  countUnit: string | null;
  usage: string | null;
  usageUnit: string | null;
  cost: Amount;
}

/**
 * One subaccount's Usage Records for the range in ONE request: the list without a `Category` filter
 * answers every category, `totalprice` included, in one page of up to 1000 records
 * (https://www.twilio.com/docs/usage/api/usage-record; twilio-oai's category enum has 637 values). A category filter would take a request per
 * category; the main account's list with IncludeSubaccounts sums all subaccounts into one figure, which
 * cannot be split per customer. Categories with no usage and no price are left out.
 */
export async function readUsage(deps: AdminDeps, sid: string, startDate: string, endDate: string) {
  const records = await twilioCall(
    `Reading usage of ${sid}`,
    deps.clients.actingOn(sid).usage.records.list({
      startDate: new Date(`${startDate}T00:00:00Z`),
      endDate: new Date(`${endDate}T00:00:00Z`),
      pageSize: 1000,
    }),
  );
  const categories: CategoryUsage[] = records
    .filter((record) => record.category !== TOTAL_PRICE)
    .map((record) => ({
      category: record.category,
      description: record.description,
      count: record.count,
      countUnit: record.countUnit,
      usage: record.usage,
      usageUnit: record.usageUnit,
      cost: amountOf(record.price),
    }))
    .filter((record) => !isZero(record.cost) || !isNothing(record.usage) || !isNothing(record.count));
  const total = records.find((record) => record.category === TOTAL_PRICE);
  const cost = total ? amountOf(total.price) : sum(categories.map((record) => record.cost));
  return { currency: (records[0]?.priceUnit ?? 'usd').toUpperCase(), cost, categories };
}

const isNothing = (value: string | null): boolean => value === null || value === '' || Number(value) === 0;

type ReadUsage = Awaited<ReturnType<typeof readUsage>>;

/** A subaccount's usage with what to bill for it, by category. */
export type PricedUsage = Omit<SubaccountBill, 'categories'> & {
  categories: (CategoryUsage & { billed: Amount })[];
};

/** Cost and billed amount of a subaccount's usage, each category and the total rounded on its own. */
export function priced(usage: ReadUsage, markup: string): PricedUsage {
  return {
    currency: usage.currency,
    cost: usage.cost,
    billed: billed(usage.cost, markup, usage.currency),
    categories: usage.categories.map((category) => ({
      ...category,
      billed: billed(category.cost, markup, usage.currency),
    })),
  };
}
