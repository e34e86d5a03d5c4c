import type { Adoption } from '../../admin/answers';
import { actionButton, byId, show } from '../common/dom';
import { callAdmin } from './admin-api';
import { adoptionLines } from './adoption-text';
import { cell } from './cells';
import type { ConsoleApp } from './state';

/**
 * "Adopt subaccounts made elsewhere": a page of the main account's subaccounts the registry lacks,
 * each with a preview of what adopting it changes (a dry run, so finding them changes nothing), and
 * an Adopt button per row.
 */
export function wireAdoptSection(app: ConsoleApp): void {
  const keep = byId<HTMLInputElement>('adopt-keep');
  const find = byId<HTMLButtonElement>('adopt-find');
  const rows = byId('unmanaged').querySelector('tbody') as HTMLTableSectionElement;
  const more = byId<HTMLButtonElement>('adopt-more');
  const { state, act } = app;

  const adopt = (row: HTMLTableRowElement, preview: Adoption) => (button: HTMLButtonElement) =>
    void act(button, `Adopting ${preview.friendlyName}…`, async () => {
      const adopted = await callAdmin('/admin/subaccounts/adopt', {
        subaccountSid: preview.subaccountSid,
        keepNumberConfig: keep.checked,
      });
      if (!('subaccountSid' in adopted)) throw new Error('The service answered a page to one adoption.');
      row.remove();
      await app.reloadList();
      await app.select(adopted.subaccountSid);
      return `Adopted ${adopted.friendlyName} (${adopted.subaccountSid}). ${adoptionLines(adopted).join(' ')}`;
    });

  const showUnmanaged = (preview: Adoption) => {
    const row = rows.insertRow();
    cell(row, preview.friendlyName);
    cell(row, preview.subaccountSid);
    cell(row, adoptionLines(preview).join('\n')).className = 'lines';
    row.insertCell().append(actionButton('Adopt', `Adopt ${preview.friendlyName}`, adopt(row, preview)));
  };

  const findUnmanaged = async (append: boolean): Promise<string> => {
    const page = await callAdmin('/admin/subaccounts/adopt', {
      dryRun: true,
      keepNumberConfig: keep.checked,
      ...(append && state.cursors.unmanaged ? { cursor: state.cursors.unmanaged } : {}),
    });
    if (!('failed' in page)) throw new Error('The service answered one subaccount to a search.');
    if (!append) rows.replaceChildren();
    for (const preview of page.subaccounts) showUnmanaged(preview);
    for (const refused of page.failed) {
      const row = rows.insertRow();
      cell(row, '');
      cell(row, refused.subaccountSid);
      cell(row, refused.message);
      row.insertCell();
    }
    state.cursors.unmanaged = page.nextCursor;
    show(more, Boolean(page.nextCursor));
    const count = rows.rows.length;
    return count === 0
      ? 'Every active subaccount of the main account is managed by this service.'
      : `${count} unmanaged subaccount(s) found.`;
  };

  find.addEventListener(
    'click',
    () => void act(find, 'Looking for unmanaged subaccounts…', () => findUnmanaged(false)),
  );
  more.addEventListener('click', () => void act(more, 'Looking for more…', () => findUnmanaged(true)));
}
