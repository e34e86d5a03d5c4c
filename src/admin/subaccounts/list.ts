import { z } from 'zod';
import type { StoredItem } from '../../registry/sync-map-store';
import { SUBACCOUNT_STATUSES, TENANT_KINDS, type SubaccountRecord } from '../../registry/types';
import type { SubaccountView } from '../answers';
import type { AdminDeps } from '../deps';
import { cursor, pageSize } from '../parameters';
import { keyAfterCursor, registryCursor } from '../registry-cursor';
import { timeBudget, type TimeBudget } from '../../twilio/time-budget';
import { subaccountView } from './subaccount-view';

export const listParameters = z.object({
  status: z
    .enum(SUBACCOUNT_STATUSES, { message: `must be one of ${SUBACCOUNT_STATUSES.join(', ')}` })
    .optional(),
  /** `subaccount` (ours) or `connected` (customers' own accounts). */
  kind: z.enum(TENANT_KINDS, { message: `must be one of ${TENANT_KINDS.join(', ')}` }).optional(),
  /** Case-insensitive part of the friendly name. */
  name: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters').optional(),
  pageSize: pageSize.default(50),
  cursor: cursor.optional(),
});

export type ListParameters = z.output<typeof listParameters>;

export interface SubaccountPage {
  subaccounts: SubaccountView[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** Sync's largest page: a filtered list reads the registry this many items at a time. */
const SYNC_MAX_PAGE_SIZE = 100;

/**
 * A page of the registry in SID order: the first `pageSize` items that pass the filters, after the
 * cursor. Filtered lists read on through the registry until the page is full, so a page is short only
 * at the end, or when the time budget runs out first (then `nextCursor` resumes the search where it
 * stopped). The cursor names the last item examined: items added or removed meanwhile shift nothing.
 */
export async function listSubaccounts(
  deps: AdminDeps,
  parameters: ListParameters,
  budget: TimeBudget = timeBudget(),
): Promise<SubaccountPage> {
  const filtered =
    parameters.status !== undefined || parameters.name !== undefined || parameters.kind !== undefined;
  const passes = filterOf(parameters);
  const found: StoredItem<SubaccountRecord>[] = [];
  let after = keyAfterCursor(parameters.cursor);
  for (;;) {
    const wanted = parameters.pageSize - found.length;
    const page = await deps.registry.itemsAfter(after, filtered ? SYNC_MAX_PAGE_SIZE : wanted);
    for (const [index, item] of page.items.entries()) {
      after = item.key;
      if (!passes(item.data)) continue;
      found.push(item);
      const lastInRegistry = !page.more && index === page.items.length - 1;
      if (found.length === parameters.pageSize && !lastInRegistry) return pageOf(found, after);
    }
    if (!page.more || page.items.length === 0) return pageOf(found);
    if (!budget.hasTime()) return pageOf(found, after);
  }
}

function filterOf(parameters: ListParameters): (record: SubaccountRecord) => boolean {
  const name = parameters.name?.toLowerCase();
  return (record) =>
    (!parameters.status || record.status === parameters.status) &&
    (!parameters.kind || (record.kind ?? 'subaccount') === parameters.kind) &&
    (!name || record.friendlyName.toLowerCase().includes(name));
}

function pageOf(found: StoredItem<SubaccountRecord>[], after?: string): SubaccountPage {
  return {
    subaccounts: found.map(subaccountView),
    ...(after === undefined ? {} : { nextCursor: registryCursor(after) }),
  };
}
