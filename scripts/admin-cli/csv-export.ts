import type { AdminParameters } from '../../src/admin/routes';
import { adminTextClient } from '../../src/client/admin-client';
import type { ServiceTarget } from './service';

/**
 * `usage --format csv`: every page, from the cursor given (or the first), written to stdout as the
 * service answered it, so `> usage.csv` is the whole file (only the first page carries the header row).
 */
export async function writeUsageCsv(
  target: ServiceTarget,
  parameters: AdminParameters<'/admin/usage'>,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  const call = adminTextClient({ baseUrl: target.url, adminKey: () => target.adminKey });
  let cursor = parameters.cursor;
  do {
    const page = await call('/admin/usage', { ...parameters, ...(cursor ? { cursor } : {}) });
    write(page.text);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
