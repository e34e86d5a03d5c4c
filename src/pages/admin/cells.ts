import type { Drift } from '../../admin/answers';

/** A table cell holding `text` (as text, never markup). */
export function cell(row: HTMLTableRowElement, text: string): HTMLTableCellElement {
  const td = row.insertCell();
  td.textContent = text;
  return td;
}

/** Every drift line of one drift list, as list items. */
export function driftItems(drift: readonly Drift[], prefix = ''): HTMLLIElement[] {
  return drift.map((item) => {
    const line = document.createElement('li');
    line.textContent = `${prefix}${item.message}${item.repaired ? ' (repaired)' : ''}`;
    return line;
  });
}
