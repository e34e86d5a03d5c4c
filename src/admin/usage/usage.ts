import Big from 'big.js';
import { z } from 'zod';
import { invalidParameter } from '../../errors/service-error';
import type { AdminDeps } from '../deps';
import { accountSid, isoDate } from '../parameters';
import { runBounded, timeBudget } from '../../twilio/time-budget';
import { markedIfDeleted, subaccountDeleted } from '../subaccounts/deleted';
import { registeredSubaccount } from '../subaccounts/registered';
import { asNumber } from './money';
import { noTotals, withSubaccount } from './running-totals';
import { priced, readUsage } from './usage-records';
import { USAGE_CURSOR_MAX, usageCursor, usageProgress } from './usage-cursor';

const MARKUP = /^\d{1,4}(\.\d{1,4})?$/;

/** A rebilling markup in percent: 0 to 1000, at most 4 decimals (15, 12.5); kept as a decimal string. */
export const markupPercent = z
  .union([z.number(), z.string()])
  .transform((value) => String(value).trim())
  .refine(
    (value) => MARKUP.test(value) && Number(value) <= 1000,
    'must be a percentage from 0 to 1000 with at most 4 decimals, e.g. 15 or 12.5',
  )
  .transform((value) => new Big(value).toString());

export const usageParameters = z
  .object({
    /** One subaccount's usage by category; without it, a page of totals across subaccounts. */
    subaccountSid: accountSid.optional(),
    startDate: isoDate,
    endDate: isoDate,
    /** `csv`: one row per subaccount and category, as text/csv (see docs/admin.md). */
    format: z.enum(['json', 'csv'], { message: 'must be "json" or "csv"' }).default('json'),
    markupPercent: markupPercent.default('0'),
    pageSize: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1)
      .max(100, 'must be at most 100')
      .default(20),
    cursor: z.string().min(1).max(USAGE_CURSOR_MAX).optional(),
  })
  .refine((value) => value.startDate <= value.endDate, {
    path: ['endDate'],
    message: 'must not be before startDate',
  });

export type UsageParameters = z.output<typeof usageParameters>;

/**
 * Usage Records reads in flight at once. Twilio limits the REST requests one account has in flight
 * (429, error 20429, https://www.twilio.com/docs/api/errors/20429); its pages name no number, and the
 * usual default of 100 could only be confirmed on third-party pages. These reads use the main account's
 * credentials, which live calls and tokens share, and the `twilio` library's agent opens at most 20
 * sockets per host (DEFAULT_MAX_SOCKETS in twilio/lib/base/RequestClient.js): more would only queue.
 * 20 keeps a fifth of that default for everything else; a 429 is retried (src/twilio/rest-settings.ts).
 */
export const USAGE_READS_IN_FLIGHT = 20;

/** A subaccount's usage for a date range, by category, with the total to bill. */
export async function subaccountUsage(
  deps: AdminDeps,
  parameters: UsageParameters & { subaccountSid: string },
) {
  const { subaccountSid: sid, startDate, endDate } = parameters;
  const stored = await registeredSubaccount(deps, sid);
  if (stored.data.status === 'deleted') throw subaccountDeleted(stored.data);
  try {
    const usage = await readUsage(deps, sid, startDate, endDate);
    const bill = priced(usage, parameters.markupPercent);
    return {
      subaccountSid: sid,
      friendlyName: stored.data.friendlyName,
      status: stored.data.status,
      billedTo: stored.data.kind === 'connected' ? ('own-account' as const) : ('main-account' as const),
      startDate,
      endDate,
      markupPercent: parameters.markupPercent,
      currency: usage.currency,
      totalPrice: asNumber(usage.cost),
      cost: bill.cost,
      billed: bill.billed,
      categories: bill.categories.map((category) => ({ ...category, price: asNumber(category.cost) })),
    };
  } catch (error) {
    const deleted = await markedIfDeleted(deps, stored, error);
    throw deleted ? subaccountDeleted(deleted.data) : error;
  }
}

/**
 * A page of subaccounts' totals, with the grand totals per currency and per category over every page
 * so far (carried in the cursor; `complete` on the last page). Bounded by the 10 s Function limit: one
 * registry read for the page, then one Usage Records request per subaccount, USAGE_READS_IN_FLIGHT at
 * once (100 subaccounts at 150 ms a request: 5 rounds, under a second). Subaccounts not started within
 * the time budget are listed in `pending` and the cursor resumes at them, so the totals stay whole.
 */
export async function usageSummary(deps: AdminDeps, parameters: UsageParameters) {
  const page = await summaryPage(deps, parameters);
  return {
    startDate: parameters.startDate,
    endDate: parameters.endDate,
    markupPercent: parameters.markupPercent,
    subaccounts: page.read.map(({ bill, ...row }) => ({
      ...row,
      cost: bill?.cost ?? null,
      billed: bill?.billed ?? null,
    })),
    totals: page.totals.currencies,
    byCategory: page.totals.categories,
    complete: !page.nextCursor,
    pending: page.pending,
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

/** The subaccounts of one summary page with their priced usage, the totals so far, and what is next. */
export async function summaryPage(deps: AdminDeps, parameters: UsageParameters) {
  const budget = timeBudget();
  const carried = parameters.cursor ? usageProgress(deps.config, parameters.cursor) : undefined;
  if (
    carried &&
    (carried.startDate !== parameters.startDate ||
      carried.endDate !== parameters.endDate ||
      carried.markupPercent !== parameters.markupPercent)
  ) {
    throw invalidParameter(
      'cursor',
      `continues the summary from ${carried.startDate} to ${carried.endDate} at ${carried.markupPercent}% markup: ` +
        'send those again with it, or start without a cursor',
    );
  }
  const page = await deps.registry.summariesAfter(carried?.after, parameters.pageSize);
  // Connected accounts are billed by Twilio to their owners, not to us: not part of these totals.
  const billedToUs = page.items.filter((item) => item.data.kind !== 'connected');
  const { results, notStarted } = await runBounded(
    billedToUs,
    async (item) => {
      const row = { subaccountSid: item.key, friendlyName: item.data.friendlyName };
      // Twilio keeps nothing of a subaccount it deleted, usage included: reported as deleted, no total.
      const deleted = { ...row, status: 'deleted' as const, currency: null, totalPrice: null, bill: null };
      if (item.data.status === 'deleted') return { ...deleted, deletedAt: item.data.deletedAt ?? null };
      try {
        const usage = await readUsage(deps, item.key, parameters.startDate, parameters.endDate);
        const bill = priced(usage, parameters.markupPercent);
        const totalPrice = asNumber(usage.cost);
        return { ...row, status: item.data.status, currency: usage.currency, totalPrice, bill };
      } catch (error) {
        const marked = await markedIfDeleted(deps, item, error);
        if (!marked) throw error;
        return { ...deleted, deletedAt: marked.data.deletedAt ?? null };
      }
    },
    budget,
    USAGE_READS_IN_FLIGHT,
  );
  // Items start in page order and the budget only runs out, so those not started are the page's tail.
  let totals = carried?.totals ?? noTotals();
  for (const result of results) if (result.bill) totals = withSubaccount(totals, result.bill);
  // With every item started, the page is done up to its last item (a connected one, skipped, too).
  const lastDone = notStarted.length > 0 ? results.at(-1)?.subaccountSid : page.items.at(-1)?.key;
  const after = lastDone ?? carried?.after;
  const more = notStarted.length > 0 || page.more;
  const { startDate, endDate, markupPercent } = parameters;
  return {
    read: results,
    totals,
    pending: notStarted.map((item) => item.key),
    nextCursor:
      more && after
        ? usageCursor(deps.config, { after, startDate, endDate, markupPercent, totals })
        : undefined,
  };
}
