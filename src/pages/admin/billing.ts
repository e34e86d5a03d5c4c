import { byId } from '../common/dom';
import { callAdmin, callAdminText } from './admin-api';
import type { Act } from './feedback';
import { usageChart } from './usage-chart';

/**
 * "Billing": grand totals and a per-category summary over every subaccount (the pages followed to the
 * end, each call within the Function time limit), and the same range downloaded as one CSV file.
 */
export function wireBilling(act: Act): void {
  const form = byId<HTMLFormElement>('billing-form');
  const start = byId<HTMLInputElement>('billing-start');
  const end = byId<HTMLInputElement>('billing-end');
  const markup = byId<HTMLInputElement>('billing-markup');
  const totals = byId('billing-totals').querySelector('tbody') as HTMLTableSectionElement;
  const categories = byId('billing-categories').querySelector('tbody') as HTMLTableSectionElement;
  const charts = byId('billing-chart');
  const today = new Date().toISOString().slice(0, 10);
  start.value = `${today.slice(0, 8)}01`;
  end.value = today;
  const range = () => ({ startDate: start.value, endDate: end.value, markupPercent: markup.value.trim() });

  const fill = (body: HTMLTableSectionElement, rows: readonly (readonly string[])[]) => {
    body.replaceChildren();
    for (const cells of rows) {
      const row = body.insertRow();
      for (const text of cells) row.insertCell().textContent = text;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(form, 'Adding up usage…', async () => {
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await callAdmin('/admin/usage', {
          ...range(),
          pageSize: 100,
          ...(cursor ? { cursor } : {}),
        });
        if ('categories' in page)
          throw new Error('The service answered one subaccount instead of a summary.');
        pages += 1;
        if (!page.nextCursor) {
          fill(
            totals,
            page.totals.map((total) => [total.currency, total.cost, total.billed, String(total.subaccounts)]),
          );
          fill(
            categories,
            page.byCategory.map((line) => [
              line.description ?? line.category,
              line.usage === null ? '' : `${line.usage} ${line.usageUnit ?? ''}`.trim(),
              `${line.cost} ${line.currency}`,
              `${line.billed} ${line.currency}`,
              String(line.subaccounts),
            ]),
          );
          // One chart per currency: amounts in different currencies do not share an axis.
          charts.replaceChildren(
            ...page.totals.map(({ currency }) =>
              usageChart(
                page.byCategory
                  .filter((line) => line.currency === currency)
                  .map((line) => ({ label: line.description ?? line.category, value: Number(line.cost) })),
                currency,
                `billing-chart-${currency}`,
              ),
            ),
          );
          return `Totals over ${pages} page(s) of subaccounts, markup ${page.markupPercent}%.`;
        }
        cursor = page.nextCursor;
      }
    });
  });

  const csvButton = byId<HTMLButtonElement>('billing-csv');
  csvButton.addEventListener('click', () => {
    if (!form.reportValidity()) return;
    void act(csvButton, 'Preparing the CSV…', async () => {
      const parts: string[] = [];
      let filename = 'usage.csv';
      let cursor: string | undefined;
      do {
        const page = await callAdminText('/admin/usage', {
          ...range(),
          format: 'csv',
          pageSize: 100,
          ...(cursor ? { cursor } : {}),
        });
        parts.push(page.text);
        filename = page.filename ?? filename;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob(parts, { type: 'text/csv' }));
      link.download = filename;
      link.click();
      // Revoked once the browser has taken the file, not before the download starts.
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      return `${filename} downloaded.`;
    });
  });
}
