import { z } from 'zod';
import type { AdminDeps } from '../deps';
import { cursor, pageSize } from '../parameters';
import { subaccountView, type SubaccountView } from './subaccount-view';

export const listParameters = z.object({
  status: z
    .enum(['active', 'suspended', 'closed'], { message: 'must be active, suspended or closed' })
    .optional(),
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

/**
 * One page of the registry, filtered. Filters apply within the page read, so a filtered page may hold
 * fewer than `pageSize` items (even none) while `nextCursor` still leads on.
 */
export async function listSubaccounts(deps: AdminDeps, parameters: ListParameters): Promise<SubaccountPage> {
  const page = await deps.registry.page(parameters.pageSize, parameters.cursor);
  const name = parameters.name?.toLowerCase();
  const subaccounts = page.items
    .filter((item) => !parameters.status || item.data.status === parameters.status)
    .filter((item) => !name || item.data.friendlyName.toLowerCase().includes(name))
    .map(subaccountView);
  return { subaccounts, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
