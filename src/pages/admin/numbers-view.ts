import { actionButton, byId, show } from '../common/dom';
import { callAdmin } from './admin-api';
import { cell } from './cells';
import type { ConsoleApp } from './state';

export interface NumbersView {
  /** A page of the selected tenant's numbers, after those shown (`append`) or instead of them. */
  loadTenantNumbers(append?: boolean): Promise<string>;
  /** The main account's numbers again, when they are shown (after a move). */
  refreshMainNumbers(): Promise<void>;
}

/**
 * Numbers, a page at a time (the API's page size, 50 by default): the selected tenant's in its
 * detail view, each with its moves (a subaccount's only: a connected account's numbers are its
 * owner's), and the main account's in the Numbers view.
 */
export function wireNumbersView(app: ConsoleApp): NumbersView {
  const { state, act } = app;
  const tenantRows = byId('numbers').querySelector('tbody') as HTMLTableSectionElement;
  const tenantMore = byId<HTMLButtonElement>('numbers-more');
  const mainRows = byId('main-numbers').querySelector('tbody') as HTMLTableSectionElement;
  const mainLoad = byId<HTMLButtonElement>('main-numbers-load');
  const mainMore = byId<HTMLButtonElement>('main-numbers-more');

  const mainSid = async (): Promise<string> => {
    state.mainAccountSid ??= (await callAdmin('/admin/numbers/list', { pageSize: 1 })).accountSid;
    return state.mainAccountSid;
  };

  const moves = (number: { sid: string; phoneNumber: string }, from: string) => [
    actionButton(
      'Move to main account',
      `Move ${number.phoneNumber} to the main account`,
      (button) =>
        void act(button, `Moving ${number.phoneNumber}…`, async () => {
          await callAdmin('/admin/numbers/transfer', {
            phoneNumberSid: number.sid,
            fromAccountSid: from,
            toAccountSid: await mainSid(),
          });
          await app.select(from);
          return `${number.phoneNumber} moved to the main account.`;
        }),
    ),
    actionButton('Move to…', `Move ${number.phoneNumber} to another account`, () =>
      app.transfer.prefill(number.sid, from),
    ),
  ];

  const loadTenantNumbers = async (append = false): Promise<string> => {
    const tenant = state.selected;
    if (!tenant) return 'Select a subaccount first.';
    const answer = await callAdmin('/admin/numbers/list', {
      accountSid: tenant.sid,
      ...(append && state.cursors.numbers ? { cursor: state.cursors.numbers } : {}),
    });
    if (!append) tenantRows.replaceChildren();
    state.cursors.numbers = answer.nextCursor;
    show(tenantMore, Boolean(answer.nextCursor));
    for (const number of answer.numbers) {
      const row = tenantRows.insertRow();
      cell(row, number.phoneNumber);
      cell(row, number.sid);
      cell(row, number.voiceApplicationSid ?? '—');
      const actions = row.insertCell();
      if (tenant.kind === 'subaccount') actions.append(...moves(number, tenant.sid));
    }
    return `${tenantRows.rows.length} number(s) shown.`;
  };

  const loadMainNumbers = async (append = false): Promise<string> => {
    const cursor = state.cursors.mainNumbers;
    const answer = await callAdmin('/admin/numbers/list', append && cursor ? { cursor } : {});
    state.mainAccountSid = answer.accountSid;
    app.transfer.offer([{ sid: answer.accountSid, name: 'Main account' }]);
    if (!append) mainRows.replaceChildren();
    state.cursors.mainNumbers = answer.nextCursor;
    show(mainMore, Boolean(answer.nextCursor));
    for (const number of answer.numbers) {
      const row = mainRows.insertRow();
      cell(row, number.phoneNumber);
      cell(row, number.sid);
      row
        .insertCell()
        .append(
          actionButton('Move to…', `Move ${number.phoneNumber} to another account`, () =>
            app.transfer.prefill(number.sid, answer.accountSid),
          ),
        );
    }
    const shown = mainRows.rows.length;
    return `${shown} number(s) of the main account shown${answer.nextCursor ? '; More shows the next page' : ''}.`;
  };

  tenantMore.addEventListener(
    'click',
    () => void act(tenantMore, 'Loading more numbers…', () => loadTenantNumbers(true)),
  );
  mainLoad.addEventListener('click', () => void act(mainLoad, 'Loading numbers…', () => loadMainNumbers()));
  mainMore.addEventListener(
    'click',
    () => void act(mainMore, 'Loading more numbers…', () => loadMainNumbers(true)),
  );
  return {
    loadTenantNumbers,
    refreshMainNumbers: async () => {
      if (mainRows.rows.length > 0) await loadMainNumbers();
    },
  };
}
