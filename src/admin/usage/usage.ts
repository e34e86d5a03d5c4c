import { z } from 'zod';
import type { AdminDeps } from '../deps';
import { accountSid, cursor, isoDate } from '../parameters';
import { keyAfterCursor, registryCursor } from '../registry-cursor';
import { runBounded, timeBudget } from '../time-budget';
import { twilioCall } from '../twilio-call';
import { markedIfDeleted, subaccountDeleted } from '../subaccounts/deleted';
import { registeredSubaccount } from '../subaccounts/registered';

export const usageParameters = z
  .object({
    /** One subaccount's usage by category; without it, a page of totals across subaccounts. */
    subaccountSid: accountSid.optional(),
    startDate: isoDate,
    endDate: isoDate,
    pageSize: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1)
      .max(50, 'must be at most 50')
      .default(20),
    cursor: cursor.optional(),
  })
  .refine((value) => value.startDate <= value.endDate, {
    path: ['endDate'],
    message: 'must not be before startDate',
  });

export type UsageParameters = z.output<typeof usageParameters>;

/** Twilio's category that sums every priced category (others overlap, e.g. `calls` and `calls-inbound`). */
const TOTAL_PRICE = 'totalprice';

/** A subaccount's usage for a date range, by category, with the total to bill. */
export async function subaccountUsage(deps: AdminDeps, sid: string, startDate: string, endDate: string) {
  const stored = await registeredSubaccount(deps, sid);
  if (stored.data.status === 'deleted') throw subaccountDeleted(stored.data);
  try {
    return { subaccountSid: sid, startDate, endDate, ...(await readUsage(deps, sid, startDate, endDate)) };
  } catch (error) {
    const deleted = await markedIfDeleted(deps, stored, error);
    throw deleted ? subaccountDeleted(deleted.data) : error;
  }
}

/**
 * Totals of one page of subaccounts, read with bounded concurrency. Subaccounts whose usage could not
 * be read within the time budget are listed in `pending`, to read one by one.
 */
export async function usageSummary(deps: AdminDeps, parameters: UsageParameters) {
  const budget = timeBudget();
  // The directory's summaries are all a total needs: one request for the page.
  const page = await deps.registry.summariesAfter(keyAfterCursor(parameters.cursor), parameters.pageSize);
  const last = page.items.at(-1);
  const { results, notStarted } = await runBounded(
    page.items,
    async (item) => {
      const row = { subaccountSid: item.key, friendlyName: item.data.friendlyName };
      // Twilio keeps nothing of a subaccount it deleted, usage included: reported as deleted, no total.
      const deleted = { ...row, status: 'deleted' as const, currency: null, totalPrice: null };
      if (item.data.status === 'deleted') return { ...deleted, deletedAt: item.data.deletedAt ?? null };
      try {
        const { currency, totalPrice } = await readUsage(
          deps,
          item.key,
          parameters.startDate,
          parameters.endDate,
        );
        return { ...row, status: item.data.status, currency, totalPrice };
      } catch (error) {
        const marked = await markedIfDeleted(deps, item, error);
        if (!marked) throw error;
        return { ...deleted, deletedAt: marked.data.deletedAt ?? null };
      }
    },
    budget,
  );
  return {
    startDate: parameters.startDate,
    endDate: parameters.endDate,
    subaccounts: results,
    pending: notStarted.map((item) => item.key),
    ...(page.more && last ? { nextCursor: registryCursor(last.key) } : {}),
  };
}

async function readUsage(deps: AdminDeps, sid: string, startDate: string, endDate: string) {
  const records = await twilioCall(
    `Reading usage of ${sid}`,
    deps.clients.actingOn(sid).usage.records.list({
      startDate: new Date(`${startDate}T00:00:00Z`),
      endDate: new Date(`${endDate}T00:00:00Z`),
      pageSize: 1000,
    }),
  );
  const categories = records
    .filter((record) => record.category !== TOTAL_PRICE)
    .map((record) => ({
      category: record.category,
      description: record.description,
      count: record.count,
      countUnit: record.countUnit,
      usage: record.usage,
      usageUnit: record.usageUnit,
      price: Number(record.price ?? 0),
    }));
  const total = records.find((record) => record.category === TOTAL_PRICE);
  const totalPrice = total
    ? Number(total.price ?? 0)
    : roundPrice(categories.reduce((sum, record) => sum + record.price, 0));
  return { currency: (records[0]?.priceUnit ?? 'usd').toUpperCase(), totalPrice, categories };
}

/** Prices are decimal money: sum without binary-float crumbs. */
const roundPrice = (value: number): number => Math.round(value * 1e6) / 1e6;
