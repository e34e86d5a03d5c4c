import { byId } from '../common/dom';
import { callAdmin } from './admin-api';
import type { ConsoleApp } from './state';
import { usageChart } from './usage-chart';

/** The Usage part of the detail view: the selected tenant's usage in a date range, as a chart. */
export function wireUsageSection(app: ConsoleApp): void {
  const form = byId<HTMLFormElement>('usage-form');
  const start = byId<HTMLInputElement>('usage-start');
  const end = byId<HTMLInputElement>('usage-end');
  const total = byId('usage-total');
  const chart = byId('usage-chart');
  const today = new Date().toISOString().slice(0, 10);
  start.value = `${today.slice(0, 8)}01`;
  end.value = today;

  const showUsage = async (): Promise<string> => {
    const tenant = app.state.selected;
    if (!tenant) return 'Select a subaccount first.';
    const usage = await callAdmin('/admin/usage', {
      subaccountSid: tenant.sid,
      startDate: start.value,
      endDate: end.value,
    });
    if (!('categories' in usage)) throw new Error('The service answered a summary for one subaccount.');
    const payer = usage.billedTo === 'own-account' ? ', billed by Twilio to the account itself' : '';
    total.textContent = `Total ${usage.totalPrice.toFixed(2)} ${usage.currency} from ${start.value} to ${end.value}${payer}.`;
    chart.replaceChildren(
      usageChart(
        usage.categories.map((category) => ({
          label: category.description || category.category,
          value: category.price,
        })),
        usage.currency,
      ),
    );
    return 'Usage shown.';
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void app.act(form, 'Reading usage…', showUsage);
  });
}
