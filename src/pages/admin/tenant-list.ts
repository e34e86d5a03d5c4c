import type { SubaccountView } from '../../admin/answers';
import type { AdminParameters } from '../../admin/routes';
import { actionButton, byId, show } from '../common/dom';
import { callAdmin } from './admin-api';
import { cell, driftItems } from './cells';
import type { ConsoleApp } from './state';

/** The filters' options (admin.html) are the values list accepts. */
type ListParameters = AdminParameters<'/admin/subaccounts/list'>;
type ListStatus = NonNullable<ListParameters['status']>;
type ListKind = NonNullable<ListParameters['kind']>;

export interface TenantList {
  /** A page of tenants, after those shown (`append`, More) or instead of them. */
  load(append?: boolean): Promise<string>;
}

/** How the list names a tenant's kind: what it is to the operator, not the registry's word. */
export const KIND_LABEL: Record<SubaccountView['kind'], string> = {
  subaccount: 'subaccount',
  connected: 'connected account',
};

/**
 * The Subaccounts view's list: every tenant with its kind, status and numbers, filtered by status,
 * kind and name, a page at a time; Select opens one. A connected account's row has a menu with
 * "Update credentials" (its owner changed the auth token), as agencies expect from their phone
 * integration pages. And the sweep of the whole registry against Twilio.
 */
export function wireTenantList(
  app: ConsoleApp,
  askForCredentials: (control: HTMLElement, tenant: SubaccountView) => void,
): TenantList {
  const form = byId<HTMLFormElement>('list-form');
  const status = byId<HTMLSelectElement>('filter-status');
  const kind = byId<HTMLSelectElement>('filter-kind');
  const name = byId<HTMLInputElement>('filter-name');
  const rows = byId('subaccounts').querySelector('tbody') as HTMLTableSectionElement;
  const more = byId<HTMLButtonElement>('more');
  const { state, act } = app;

  const rowMenu = (tenant: SubaccountView): HTMLElement => {
    const menu = document.createElement('details');
    menu.className = 'row-menu';
    const summary = document.createElement('summary');
    summary.textContent = 'More';
    summary.setAttribute('aria-label', `More actions for ${tenant.friendlyName}`);
    menu.append(
      summary,
      actionButton('Update credentials', `Update credentials of ${tenant.friendlyName}`, (button) => {
        menu.open = false;
        askForCredentials(button, tenant);
      }),
    );
    return menu;
  };

  const showRow = (tenant: SubaccountView) => {
    const row = rows.insertRow();
    cell(row, tenant.friendlyName);
    cell(row, tenant.sid);
    cell(row, tenant.status);
    cell(row, KIND_LABEL[tenant.kind]);
    cell(row, tenant.numbers.map((number) => number.phoneNumber).join(', ') || '—');
    const actions = row.insertCell();
    actions.append(
      actionButton('Select', `Select ${tenant.friendlyName}`, (button) => void app.open(button, tenant.sid)),
    );
    if (tenant.kind === 'connected' && tenant.status !== 'disconnected') actions.append(rowMenu(tenant));
  };

  const load = async (append = false): Promise<string> => {
    const answer = await callAdmin('/admin/subaccounts/list', {
      ...(status.value ? { status: status.value as ListStatus } : {}),
      ...(kind.value ? { kind: kind.value as ListKind } : {}),
      ...(name.value.trim() ? { name: name.value.trim() } : {}),
      ...(append && state.cursors.tenants ? { cursor: state.cursors.tenants } : {}),
    });
    if (!append) rows.replaceChildren();
    for (const tenant of answer.subaccounts) showRow(tenant);
    // Numbers move only between the main account and its subaccounts (docs/admin.md).
    app.transfer.offer(
      answer.subaccounts
        .filter((tenant) => tenant.kind === 'subaccount' && tenant.status !== 'closed')
        .map((tenant) => ({ sid: tenant.sid, name: tenant.friendlyName })),
    );
    state.cursors.tenants = answer.nextCursor;
    show(more, Boolean(answer.nextCursor));
    const count = rows.rows.length;
    return count === 0 ? 'No subaccounts match.' : `${count} subaccount${count === 1 ? '' : 's'} shown.`;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(form, 'Loading subaccounts…', () => load());
  });
  more.addEventListener('click', () => void act(more, 'Loading more…', () => load(true)));
  const checkAll = byId<HTMLButtonElement>('check-all');
  const sweepDrift = byId('sweep-drift');
  checkAll.addEventListener(
    'click',
    () => void act(checkAll, 'Checking every subaccount…', () => sweep(sweepDrift)),
  );
  return { load };
}

/** The sweep of the whole registry, page after page: what differs, by tenant. */
async function sweep(list: HTMLElement): Promise<string> {
  list.replaceChildren();
  let checked = 0;
  let drifted = 0;
  let unregistered = 0;
  let cursor: string | undefined;
  do {
    const page = await callAdmin('/admin/subaccounts/check', cursor ? { cursor } : {});
    if (!('subaccounts' in page)) throw new Error('The service answered one subaccount to a sweep.');
    for (const tenant of page.subaccounts) {
      checked += 1;
      if (tenant.inStep) continue;
      drifted += 1;
      list.append(...driftItems(tenant.drift, `${tenant.friendlyName}: `));
    }
    for (const stranger of page.unregistered) {
      unregistered += 1;
      const line = document.createElement('li');
      line.textContent = stranger.message;
      list.append(line);
    }
    cursor = page.nextCursor;
  } while (cursor);
  const unknown =
    unregistered > 0 ? ` ${unregistered} active subaccount(s) on Twilio are not in the registry.` : '';
  return drifted === 0
    ? `All ${checked} subaccount(s) agree with Twilio.${unknown}`
    : `${drifted} of ${checked} subaccount(s) differ from Twilio: select one and press Check and repair.${unknown}`;
}
