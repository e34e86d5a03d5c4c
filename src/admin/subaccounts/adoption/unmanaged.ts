/** Which subaccounts the registry lacks: those adopt's page mode (adopt-page.ts) takes in. */
import type { AdminDeps } from '../../deps';

/** Directory summaries read a request: Sync's largest page. */
const DIRECTORY_PAGE = 100;

/**
 * Those of `sids` the registry has no item for, in the order given. The directory Map is read by pages
 * over the SIDs' range (one request per 100 registered subaccounts in it, at most 10 for Twilio's
 * default 1,000 subaccounts), not item by item: that Map is shared, and Sync allows 20 reads a second
 * per object (https://www.twilio.com/docs/sync/limits). A summary without its record (a create under
 * way) counts as managed: adopt must not take it over.
 */
export async function unmanagedAmong(deps: AdminDeps, sids: readonly string[]): Promise<string[]> {
  const sorted = [...sids].sort();
  const [first, last] = [sorted[0], sorted.at(-1)];
  if (first === undefined || last === undefined) return [];
  const known = new Set<string>();
  // A proper prefix of the first SID sorts just before it: the scan starts there.
  let after: string | undefined = first.slice(0, -1);
  for (;;) {
    const page = await deps.registry.summariesAfter(after, DIRECTORY_PAGE);
    for (const item of page.items) known.add(item.key);
    after = page.items.at(-1)?.key;
    if (!page.more || after === undefined || after >= last) break;
  }
  return sids.filter((sid) => !known.has(sid));
}
