import { adminDeps, type AdminDeps } from '../../admin/deps';
import { subaccountUsage, summaryPage, usageSummary, type UsageParameters } from '../../admin/usage/usage';
import { usageCsv, usageCsvFilename } from '../../admin/usage/usage-csv';
import { adminRoute, type TextAnswer } from '../../admin/routes/admin-route';

/**
 * POST /admin/usage: one subaccount's usage by category, or a page of totals across subaccounts with
 * grand totals; as JSON, or as CSV (`format: "csv"`, the next page's cursor in `Next-Cursor`).
 */
export const handler = adminRoute('/admin/usage', async ({ config, parameters }) => {
  const deps = adminDeps(config);
  const { subaccountSid } = parameters;
  if (parameters.format === 'csv') return csvAnswer(deps, parameters);
  return {
    status: 200,
    body: subaccountSid
      ? await subaccountUsage(deps, { ...parameters, subaccountSid })
      : await usageSummary(deps, parameters),
  };
});

async function csvAnswer(deps: AdminDeps, parameters: UsageParameters): Promise<TextAnswer> {
  const { subaccountSid } = parameters;
  // Pages of a summary after the first leave the header out, so they concatenate into one file.
  const range = { ...parameters, withHeader: Boolean(subaccountSid) || !parameters.cursor };
  let text: string;
  let nextCursor: string | undefined;
  if (subaccountSid) {
    const usage = await subaccountUsage(deps, { ...parameters, subaccountSid });
    text = usageCsv(range, [{ ...usage, bill: usage }]);
  } else {
    const page = await summaryPage(deps, parameters);
    text = usageCsv(range, page.read);
    nextCursor = page.nextCursor;
  }
  const filename = usageCsvFilename(parameters.startDate, parameters.endDate);
  return {
    status: 200,
    text,
    headers: {
      'Content-Type': `text/csv; charset=utf-8; header=${range.withHeader ? 'present' : 'absent'}`,
      'Content-Disposition': `attachment; filename="${filename}"`,
      ...(nextCursor ? { 'Next-Cursor': nextCursor } : {}),
    },
  };
}
