/**
 * The admin console: subaccount lifecycle, numbers, usage and check/repair through the admin functions
 * (docs/admin.md). Data only ever reaches the page as text (textContent), never as markup.
 */
// The answers' types come from the route table's answer schemas, so the two cannot drift apart.
import type { Adoption, Drift, SubaccountView } from '../../admin/answers';
import type { AdminParameters } from '../../admin/routes';
import { AdminRefusal } from '../../client/admin-client';
import { actionButton, byId, say, show } from '../common/dom';
import { confirmAction, type Confirmation } from './confirm-dialog';
import { feedbackFor, problemBeside, sayBeside } from './feedback';
import { callAdmin } from './admin-api';
import { wireCallHistory } from './call-history';
import { adoptionLines } from './adoption-text';
import { wireBilling } from './billing';
import { afterFailure } from './failure-text';
import { listToText, routingToText, textToList, textToRouting } from './inbound-routing';
import { adminKey } from './key-store';
import { wireNumberTransfer, type NumberTransfer } from './number-transfer';
import { wireUndeliveredEvents } from './undelivered-events';
import { usageChart } from './usage-chart';
import { showView, wireViews } from './views';

const ui = {
  keyForm: byId<HTMLFormElement>('key-form'),
  keyInput: byId<HTMLInputElement>('admin-key'),
  keySet: byId('key-set'),
  forgetKey: byId<HTMLButtonElement>('forget-key'),
  workspace: byId('workspace'),
  listForm: byId<HTMLFormElement>('list-form'),
  filterStatus: byId<HTMLSelectElement>('filter-status'),
  filterName: byId<HTMLInputElement>('filter-name'),
  rows: byId('subaccounts').querySelector('tbody') as HTMLTableSectionElement,
  more: byId<HTMLButtonElement>('more'),
  createForm: byId<HTMLFormElement>('create-form'),
  createName: byId<HTMLInputElement>('create-name'),
  createArea: byId<HTMLInputElement>('create-area'),
  createMove: byId<HTMLInputElement>('create-move'),
  createMessaging: byId<HTMLInputElement>('create-messaging'),
  createRecording: byId<HTMLInputElement>('create-recording'),
  adoptKeep: byId<HTMLInputElement>('adopt-keep'),
  adoptFind: byId<HTMLButtonElement>('adopt-find'),
  unmanagedRows: byId('unmanaged').querySelector('tbody') as HTMLTableSectionElement,
  adoptMore: byId<HTMLButtonElement>('adopt-more'),
  detailHead: byId('detail-head'),
  detailTitle: byId('detail-title'),
  backToList: byId<HTMLButtonElement>('back-to-list'),
  facts: byId('facts'),
  updateForm: byId<HTMLFormElement>('update-form'),
  updateName: byId<HTMLInputElement>('update-name'),
  updateCaller: byId<HTMLInputElement>('update-caller'),
  updateCountries: byId<HTMLInputElement>('update-countries'),
  updateBlockedTypes: byId<HTMLInputElement>('update-blocked-types'),
  updateRecording: byId<HTMLInputElement>('update-recording'),
  updateVoicemail: byId<HTMLInputElement>('update-voicemail'),
  updateRetention: byId<HTMLInputElement>('update-retention'),
  updateRouting: byId<HTMLTextAreaElement>('update-routing'),
  suspend: byId<HTMLButtonElement>('suspend'),
  reactivate: byId<HTMLButtonElement>('reactivate'),
  rotateKey: byId<HTMLButtonElement>('rotate-key'),
  check: byId<HTMLButtonElement>('check'),
  repair: byId<HTMLButtonElement>('repair'),
  drift: byId('drift'),
  checkAll: byId<HTMLButtonElement>('check-all'),
  sweepDrift: byId('sweep-drift'),
  closeForm: byId<HTMLFormElement>('close-form'),
  closeConfirm: byId<HTMLInputElement>('close-confirm'),
  closeRelease: byId<HTMLInputElement>('close-release'),
  numberRows: byId('numbers').querySelector('tbody') as HTMLTableSectionElement,
  numbersMore: byId<HTMLButtonElement>('numbers-more'),
  usageForm: byId<HTMLFormElement>('usage-form'),
  usageStart: byId<HTMLInputElement>('usage-start'),
  usageEnd: byId<HTMLInputElement>('usage-end'),
  usageTotal: byId('usage-total'),
  usageChart: byId('usage-chart'),
  mainNumbersLoad: byId<HTMLButtonElement>('main-numbers-load'),
  mainNumberRows: byId('main-numbers').querySelector('tbody') as HTMLTableSectionElement,
  mainNumbersMore: byId<HTMLButtonElement>('main-numbers-more'),
};

/** The status filter's options (admin.html) are the statuses list accepts. */
type ListStatus = NonNullable<AdminParameters<'/admin/subaccounts/list'>['status']>;

let selected: SubaccountView | undefined;
let nextCursor: string | undefined;
let unmanagedCursor: string | undefined;
let numbersCursor: string | undefined;
let mainNumbersCursor: string | undefined;
let mainAccountSid: string | undefined;
// Reused until a create succeeds, so retrying after a lost answer cannot make a second subaccount.
let createIdempotencyKey: string | undefined;
// Set while the last create stopped part-way: its key finishes it, even with another area code.
let unfinishedKey: string | undefined;
// The form that moves a number between any two accounts (wired at start).
let transfer: NumberTransfer;
// Empties the recordings and calls shown, when another subaccount is selected.
let clearCallHistory: () => void = () => undefined;

// --- feedback -------------------------------------------------------------------------------------------

/**
 * Runs one operator action: a busy message, then the result or the service's refusal in words, beside
 * the control pressed. A refused admin key is said beside the key form, the only place left to act.
 */
async function act(
  control: HTMLElement,
  busy: string,
  action: () => Promise<string | undefined>,
): Promise<void> {
  const { status, problem } = feedbackFor(control);
  sayBeside(control, busy);
  try {
    const done = await action();
    if (done) say(status, done, 'ok');
  } catch (error) {
    say(status, afterFailure(error), 'warn');
    if (error instanceof AdminRefusal && error.status === 401) {
      adminKey.forget();
      showKeyState();
      problemBeside(ui.keyForm, 'The admin key was refused. Enter a valid key.');
      return;
    }
    problem.textContent = error instanceof Error ? error.message : String(error);
    show(problem, true);
  }
}

/** A create that stopped part-way, in words: the subaccount, what it lacks and why, how to go on. */
function unfinishedCreate(error: AdminRefusal): string {
  const { subaccountSid, idempotencyKey, provisioning } = error.details as {
    subaccountSid: string;
    idempotencyKey?: string;
    provisioning?: { missing: string[]; reason: string };
  };
  return [
    `Subaccount ${subaccountSid} was created but is not complete.`,
    `Missing: ${provisioning?.missing.join(', ') ?? 'unknown'}. Why: ${provisioning?.reason ?? error.message}`,
    `Press Create again to finish it (idempotencyKey ${idempotencyKey ?? 'unknown'}; the area code may change), or select it in the list and close it.`,
  ].join('\n');
}

function cell(row: HTMLTableRowElement, text: string): HTMLTableCellElement {
  const td = row.insertCell();
  td.textContent = text;
  return td;
}

/** `{ [name]: list }` when the operator edited the field since it was loaded, else nothing. */
function editedList(name: string, input: HTMLInputElement): Record<string, string[]> {
  return input.value === input.defaultValue ? {} : { [name]: textToList(input.value) };
}

/** Every drift line of one drift list, as list items. */
function driftItems(drift: readonly Drift[], prefix = ''): HTMLLIElement[] {
  return drift.map((item) => {
    const line = document.createElement('li');
    line.textContent = `${prefix}${item.message}${item.repaired ? ' (repaired)' : ''}`;
    return line;
  });
}

/** The sweep of the whole registry, page after page: what differs, by subaccount. */
async function checkAll(): Promise<string> {
  ui.sweepDrift.replaceChildren();
  let checked = 0;
  let drifted = 0;
  let unregistered = 0;
  let cursor: string | undefined;
  do {
    const page = await callAdmin('/admin/subaccounts/check', cursor ? { cursor } : {});
    if (!('subaccounts' in page)) throw new Error('The service answered one subaccount to a sweep.');
    for (const subaccount of page.subaccounts) {
      checked += 1;
      if (subaccount.inStep) continue;
      drifted += 1;
      ui.sweepDrift.append(...driftItems(subaccount.drift, `${subaccount.friendlyName}: `));
    }
    for (const stranger of page.unregistered) {
      unregistered += 1;
      const line = document.createElement('li');
      line.textContent = stranger.message;
      ui.sweepDrift.append(line);
    }
    cursor = page.nextCursor;
  } while (cursor);
  const unknown =
    unregistered > 0 ? ` ${unregistered} active subaccount(s) on Twilio are not in the registry.` : '';
  return drifted === 0
    ? `All ${checked} subaccount(s) agree with Twilio.${unknown}`
    : `${drifted} of ${checked} subaccount(s) differ from Twilio: select one and press Check and repair.${unknown}`;
}

// --- admin key ------------------------------------------------------------------------------------------

function showKeyState(): void {
  const hasKey = Boolean(adminKey.get());
  show(ui.keyForm, !hasKey);
  show(ui.keySet, hasKey);
  show(ui.workspace, hasKey);
}

// --- subaccounts ----------------------------------------------------------------------------------------

async function loadSubaccounts(append = false): Promise<string> {
  const answer = await callAdmin('/admin/subaccounts/list', {
    ...(ui.filterStatus.value ? { status: ui.filterStatus.value as ListStatus } : {}),
    ...(ui.filterName.value.trim() ? { name: ui.filterName.value.trim() } : {}),
    ...(append && nextCursor ? { cursor: nextCursor } : {}),
  });
  if (!append) ui.rows.replaceChildren();
  for (const subaccount of answer.subaccounts) {
    const row = ui.rows.insertRow();
    cell(row, subaccount.friendlyName);
    cell(row, subaccount.sid);
    cell(row, subaccount.status);
    cell(row, subaccount.numbers.map((number) => number.phoneNumber).join(', ') || '—');
    row
      .insertCell()
      .append(
        actionButton(
          'Select',
          `Select ${subaccount.friendlyName}`,
          (button) => void openSubaccount(button, subaccount.sid),
        ),
      );
  }
  transfer.offer(
    answer.subaccounts
      .filter((subaccount) => subaccount.status !== 'closed')
      .map((subaccount) => ({ sid: subaccount.sid, name: subaccount.friendlyName })),
  );
  nextCursor = answer.nextCursor;
  show(ui.more, Boolean(nextCursor));
  const count = ui.rows.rows.length;
  return count === 0 ? 'No subaccounts match.' : `${count} subaccount${count === 1 ? '' : 's'} shown.`;
}

/** The detail view of one subaccount, from the list: the answer is said at the top of that view. */
function openSubaccount(control: HTMLElement, sid: string): Promise<void> {
  return act(control, 'Loading…', async () => {
    const done = await selectSubaccount(sid);
    showView('detail');
    sayBeside(ui.detailHead, done, 'ok');
    return done;
  });
}

async function selectSubaccount(sid: string): Promise<string> {
  const { subaccount } = await callAdmin('/admin/subaccounts/get', {
    subaccountSid: sid,
  });
  if (selected?.sid !== subaccount.sid) clearCallHistory();
  showSubaccount(subaccount);
  await loadNumbers();
  return `${subaccount.friendlyName} selected.`;
}

function showSubaccount(subaccount: SubaccountView): void {
  selected = subaccount;
  ui.detailTitle.textContent = `${subaccount.friendlyName} (${subaccount.status})`;
  const facts: [string, string][] = [
    ['SID', subaccount.sid],
    ['Status', subaccount.status],
    ['API key', subaccount.apiKeySid ?? 'none'],
    ['TwiML App', subaccount.twimlAppSid ?? 'none'],
    ['Caller ID', subaccount.callerId ?? 'none'],
    ['Created', new Date(subaccount.createdAt).toLocaleString()],
  ];
  ui.facts.replaceChildren(
    ...facts.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
  ui.updateName.value = subaccount.friendlyName;
  ui.updateCaller.value = subaccount.callerId ?? '';
  // As loaded (defaults filled in): sent back only when edited, so saving the form keeps a default a default.
  ui.updateCountries.defaultValue = ui.updateCountries.value = listToText(subaccount.allowedCountries);
  ui.updateBlockedTypes.defaultValue = ui.updateBlockedTypes.value = listToText(
    subaccount.blockedNumberTypes,
  );
  ui.updateRecording.checked = subaccount.recording;
  ui.updateVoicemail.checked = subaccount.voicemail;
  ui.updateRetention.value = subaccount.recordingRetentionDays?.toString() ?? '';
  ui.updateRouting.value = routingToText(subaccount.inboundRouting);
  ui.suspend.disabled = subaccount.status !== 'active';
  ui.reactivate.disabled = subaccount.status !== 'suspended';
  ui.drift.replaceChildren();
  ui.closeConfirm.value = '';
}

async function refreshSelected(message: string, subaccount: SubaccountView): Promise<string> {
  showSubaccount(subaccount);
  await loadSubaccounts();
  return message;
}

// --- adopt ----------------------------------------------------------------------------------------------

/** A page of the unmanaged subaccounts, each with a preview of what adopting it changes (a dry run). */
async function findUnmanaged(append = false): Promise<string> {
  const page = await callAdmin('/admin/subaccounts/adopt', {
    dryRun: true,
    keepNumberConfig: ui.adoptKeep.checked,
    ...(append && unmanagedCursor ? { cursor: unmanagedCursor } : {}),
  });
  if (!('failed' in page)) throw new Error('The service answered one subaccount to a search.');
  if (!append) ui.unmanagedRows.replaceChildren();
  for (const preview of page.subaccounts) showUnmanaged(preview);
  for (const refused of page.failed) {
    const row = ui.unmanagedRows.insertRow();
    cell(row, '');
    cell(row, refused.subaccountSid);
    cell(row, refused.message);
    row.insertCell();
  }
  unmanagedCursor = page.nextCursor;
  show(ui.adoptMore, Boolean(unmanagedCursor));
  const count = ui.unmanagedRows.rows.length;
  return count === 0
    ? 'Every active subaccount of the main account is managed by this service.'
    : `${count} unmanaged subaccount(s) found.`;
}

function showUnmanaged(preview: Adoption): void {
  const row = ui.unmanagedRows.insertRow();
  cell(row, preview.friendlyName);
  cell(row, preview.subaccountSid);
  cell(row, adoptionLines(preview).join('\n')).className = 'lines';
  row.insertCell().append(
    actionButton(
      'Adopt',
      `Adopt ${preview.friendlyName}`,
      (button) =>
        void act(button, `Adopting ${preview.friendlyName}…`, async () => {
          const adopted = await callAdmin('/admin/subaccounts/adopt', {
            subaccountSid: preview.subaccountSid,
            keepNumberConfig: ui.adoptKeep.checked,
          });
          if (!('subaccountSid' in adopted)) throw new Error('The service answered a page to one adoption.');
          row.remove();
          await loadSubaccounts();
          await selectSubaccount(adopted.subaccountSid);
          return `Adopted ${adopted.friendlyName} (${adopted.subaccountSid}). ${adoptionLines(adopted).join(' ')}`;
        }),
    ),
  );
}

// --- numbers --------------------------------------------------------------------------------------------

/**
 * A page of the selected subaccount's numbers (the API's page size, 50 by default), after those shown
 * (`append`, More) or instead of them.
 */
async function loadNumbers(append = false): Promise<string> {
  if (!selected) return 'Select a subaccount first.';
  const answer = await callAdmin('/admin/numbers/list', {
    accountSid: selected.sid,
    ...(append && numbersCursor ? { cursor: numbersCursor } : {}),
  });
  if (!append) ui.numberRows.replaceChildren();
  numbersCursor = answer.nextCursor;
  show(ui.numbersMore, Boolean(numbersCursor));
  for (const number of answer.numbers) {
    const row = ui.numberRows.insertRow();
    cell(row, number.phoneNumber);
    cell(row, number.sid);
    cell(row, number.voiceApplicationSid ?? '—');
    row.insertCell().append(
      actionButton(
        'Move to main account',
        `Move ${number.phoneNumber} to the main account`,
        (button) =>
          void act(button, `Moving ${number.phoneNumber}…`, async () => {
            const from = selected?.sid;
            await callAdmin('/admin/numbers/transfer', {
              phoneNumberSid: number.sid,
              ...(from ? { fromAccountSid: from } : {}),
              toAccountSid: await mainSid(),
            });
            if (from) await selectSubaccount(from);
            return `${number.phoneNumber} moved to the main account.`;
          }),
      ),
      actionButton(
        'Move to…',
        `Move ${number.phoneNumber} to another account`,
        () => selected && transfer.prefill(number.sid, selected.sid),
      ),
    );
  }
  return `${ui.numberRows.rows.length} number(s) shown.`;
}

async function mainSid(): Promise<string> {
  mainAccountSid ??= (await callAdmin('/admin/numbers/list', { pageSize: 1 })).accountSid;
  return mainAccountSid;
}

/** A page of the main account's numbers, after those shown (`append`, More) or instead of them. */
async function loadMainNumbers(append = false): Promise<string> {
  const answer = await callAdmin(
    '/admin/numbers/list',
    append && mainNumbersCursor ? { cursor: mainNumbersCursor } : {},
  );
  mainAccountSid = answer.accountSid;
  transfer.offer([{ sid: answer.accountSid, name: 'Main account' }]);
  if (!append) ui.mainNumberRows.replaceChildren();
  mainNumbersCursor = answer.nextCursor;
  show(ui.mainNumbersMore, Boolean(mainNumbersCursor));
  for (const number of answer.numbers) {
    const row = ui.mainNumberRows.insertRow();
    cell(row, number.phoneNumber);
    cell(row, number.sid);
    row
      .insertCell()
      .append(
        actionButton('Move to…', `Move ${number.phoneNumber} to another account`, () =>
          transfer.prefill(number.sid, answer.accountSid),
        ),
      );
  }
  const shown = ui.mainNumberRows.rows.length;
  return `${shown} number(s) of the main account shown${mainNumbersCursor ? '; More shows the next page' : ''}.`;
}

// --- usage ----------------------------------------------------------------------------------------------

async function showUsage(): Promise<string> {
  if (!selected) return 'Select a subaccount first.';
  const usage = await callAdmin('/admin/usage', {
    subaccountSid: selected.sid,
    startDate: ui.usageStart.value,
    endDate: ui.usageEnd.value,
  });
  if (!('categories' in usage)) throw new Error('The service answered a summary for one subaccount.');
  ui.usageTotal.textContent = `Total ${usage.totalPrice.toFixed(2)} ${usage.currency} from ${ui.usageStart.value} to ${ui.usageEnd.value}.`;
  ui.usageChart.replaceChildren(
    usageChart(
      usage.categories.map((category) => ({
        label: category.description || category.category,
        value: category.price,
      })),
      usage.currency,
    ),
  );
  return 'Usage shown.';
}

// --- wiring ---------------------------------------------------------------------------------------------

/**
 * An action on the selected subaccount, run beside `control`; with `ask`, only once the operator has
 * confirmed it in the dialog that names the subaccount.
 */
function onSelected(
  control: HTMLElement,
  busy: string,
  action: (subaccount: SubaccountView) => Promise<string>,
  ask?: (subaccount: SubaccountView) => Confirmation,
): () => void {
  return () => {
    const subaccount = selected;
    if (!subaccount) return;
    void (async () => {
      if (ask && !(await confirmAction(ask(subaccount)))) {
        sayBeside(control, 'Cancelled: nothing was changed.');
        return;
      }
      await act(control, busy, () => action(subaccount));
    })();
  };
}

/** A subaccount as the dialogs name it: its name and SID, so the operator can tell two of a name apart. */
const named = (subaccount: SubaccountView) => `${subaccount.friendlyName} (${subaccount.sid})`;

/** What closing does to the subaccount's numbers, each named. */
function numbersOnClose(subaccount: SubaccountView, release: boolean): string {
  const numbers = subaccount.numbers.map((number) => number.phoneNumber).join(', ');
  if (!numbers) return 'It has no numbers.';
  return release
    ? `Its numbers ${numbers} are released: they go back to Twilio and may never be had again.`
    : `Its numbers ${numbers} move to the main account.`;
}

/** Runs `action` beside `button` each time it is pressed. */
function onPress(button: HTMLButtonElement, busy: string, action: () => Promise<string | undefined>): void {
  button.addEventListener('click', () => void act(button, busy, action));
}

function wire(): void {
  ui.keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    adminKey.set(ui.keyInput.value.trim());
    ui.keyInput.value = '';
    showKeyState();
    void act(ui.listForm, 'Loading subaccounts…', () => loadSubaccounts());
  });
  ui.forgetKey.addEventListener('click', () => {
    adminKey.forget();
    showKeyState();
    sayBeside(ui.keyForm, 'Admin key forgotten.');
  });
  ui.listForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(ui.listForm, 'Loading subaccounts…', () => loadSubaccounts());
  });
  onPress(ui.more, 'Loading more…', () => loadSubaccounts(true));
  ui.createForm.addEventListener('input', (event) => {
    // A create that stopped part-way is finished with its key, and its number may change on the way.
    const numberField = event.target === ui.createArea || event.target === ui.createMove;
    if (!(unfinishedKey && numberField)) createIdempotencyKey = undefined;
  });
  ui.createForm.addEventListener('submit', (event) => {
    event.preventDefault();
    createIdempotencyKey ??= crypto.randomUUID();
    const area = ui.createArea.value.trim();
    const move = ui.createMove.value.trim();
    void act(ui.createForm, 'Creating the subaccount (key, app and number included)…', async () => {
      let subaccount: SubaccountView;
      try {
        ({ subaccount } = await callAdmin('/admin/subaccounts/create', {
          friendlyName: ui.createName.value.trim(),
          idempotencyKey: createIdempotencyKey,
          ...(area ? { areaCode: area } : {}),
          ...(move ? { phoneNumberSid: move } : {}),
          messagingService: ui.createMessaging.checked,
          recording: ui.createRecording.checked,
        }));
      } catch (error) {
        if (!(error instanceof AdminRefusal && typeof error.details.subaccountSid === 'string')) throw error;
        unfinishedKey = createIdempotencyKey;
        // The unfinished subaccount is in the list from now on.
        await loadSubaccounts().catch(() => undefined);
        throw new AdminRefusal(error.status, error.code, unfinishedCreate(error), error.body);
      }
      createIdempotencyKey = undefined;
      unfinishedKey = undefined;
      ui.createForm.reset();
      await loadSubaccounts();
      await selectSubaccount(subaccount.sid);
      return `Created ${subaccount.friendlyName} (${subaccount.sid}).`;
    });
  });
  ui.updateForm.addEventListener('submit', (event) => {
    event.preventDefault();
    onSelected(ui.updateForm, 'Saving…', async (subaccount) => {
      const { subaccount: updated } = await callAdmin('/admin/subaccounts/update', {
        subaccountSid: subaccount.sid,
        ifRevision: subaccount.revision,
        friendlyName: ui.updateName.value.trim(),
        ...(ui.updateCaller.value.trim() ? { callerId: ui.updateCaller.value.trim() } : {}),
        ...editedList('allowedCountries', ui.updateCountries),
        ...editedList('blockedNumberTypes', ui.updateBlockedTypes),
        recording: ui.updateRecording.checked,
        voicemail: ui.updateVoicemail.checked,
        recordingRetentionDays: ui.updateRetention.value ? Number(ui.updateRetention.value) : null,
        inboundRouting: textToRouting(ui.updateRouting.value),
      });
      return refreshSelected('Saved.', updated);
    })();
  });
  ui.suspend.addEventListener(
    'click',
    onSelected(
      ui.suspend,
      'Suspending and ending its calls…',
      async (subaccount) => {
        const answer = await callAdmin('/admin/subaccounts/suspend', { subaccountSid: subaccount.sid });
        return refreshSelected(
          answer.callsRemaining > 0
            ? `Suspended; ${answer.callsRemaining} call(s) still live: press Suspend again to end them.`
            : `${subaccount.friendlyName} is suspended.`,
          answer.subaccount,
        );
      },
      (subaccount) => ({
        title: `Suspend ${named(subaccount)}?`,
        consequence:
          'Its calls in progress end, and its users cannot sign in or call until it is reactivated.',
        confirmLabel: `Suspend ${subaccount.friendlyName}`,
      }),
    ),
  );
  ui.reactivate.addEventListener(
    'click',
    onSelected(ui.reactivate, 'Reactivating…', async (subaccount) => {
      const answer = await callAdmin('/admin/subaccounts/reactivate', { subaccountSid: subaccount.sid });
      return refreshSelected(
        `${subaccount.friendlyName} is active again; its tokens and calls may still be refused for up to ${answer.settlesWithinSeconds} s.`,
        answer.subaccount,
      );
    }),
  );
  ui.rotateKey.addEventListener(
    'click',
    onSelected(ui.rotateKey, 'Rotating the API key…', async (subaccount) =>
      refreshSelected(
        'New API key in use; the old one keeps working until the tokens signed with it expire.',
        (await callAdmin('/admin/subaccounts/rotate-key', { subaccountSid: subaccount.sid })).subaccount,
      ),
    ),
  );
  const check = (repair: boolean) =>
    onSelected(
      repair ? ui.repair : ui.check,
      repair ? 'Checking and repairing…' : 'Checking…',
      async (subaccount) => {
        const answer = await callAdmin('/admin/subaccounts/check', { subaccountSid: subaccount.sid, repair });
        if (!('subaccount' in answer))
          throw new Error('The service answered a sweep to a check of one subaccount.');
        showSubaccount(answer.subaccount);
        ui.drift.replaceChildren(...driftItems(answer.drift));
        return answer.inStep
          ? 'Twilio and the registry agree.'
          : `${answer.drift.length} difference(s) found.`;
      },
    );
  onPress(ui.checkAll, 'Checking every subaccount…', checkAll);
  ui.check.addEventListener('click', check(false));
  ui.repair.addEventListener('click', check(true));
  ui.closeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    // The typed SID comes first (the service wants it as confirm); the dialog then says what closing does.
    if (selected && ui.closeConfirm.value.trim() !== selected.sid) {
      sayBeside(ui.closeForm, 'Nothing was closed.');
      problemBeside(ui.closeForm, `Type ${selected.sid} to confirm closing ${selected.friendlyName}.`);
      return;
    }
    const release = ui.closeRelease.checked;
    onSelected(
      ui.closeForm,
      'Closing…',
      async (subaccount) => {
        const answer = await callAdmin('/admin/subaccounts/close', {
          subaccountSid: subaccount.sid,
          confirm: subaccount.sid,
          releaseNumbers: release,
        });
        if (!answer.closed) {
          return `${answer.numbersRemaining} number(s) still to move: press Close again to finish.`;
        }
        // It stays in view, closed (the answer sits beside Close), and the list shows it closed.
        showSubaccount({ ...subaccount, status: 'closed', numbers: [] });
        ui.detailTitle.textContent = `${subaccount.friendlyName} (closed)`;
        await loadSubaccounts();
        return `${subaccount.friendlyName} is closed.`;
      },
      (subaccount) => ({
        title: `Close ${named(subaccount)} for good?`,
        consequence: `A closed subaccount cannot be reopened. ${numbersOnClose(subaccount, release)}`,
        confirmLabel: release ? `Close and release its numbers` : `Close ${subaccount.friendlyName}`,
      }),
    )();
  });
  ui.usageForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(ui.usageForm, 'Reading usage…', showUsage);
  });
  onPress(ui.adoptFind, 'Looking for unmanaged subaccounts…', () => findUnmanaged());
  onPress(ui.adoptMore, 'Looking for more…', () => findUnmanaged(true));
  onPress(ui.mainNumbersLoad, 'Loading numbers…', () => loadMainNumbers());
  onPress(ui.mainNumbersMore, 'Loading more numbers…', () => loadMainNumbers(true));
  onPress(ui.numbersMore, 'Loading more numbers…', () => loadNumbers(true));
  ui.backToList.addEventListener('click', () => showView('subaccounts'));
  wireViews();
  transfer = wireNumberTransfer(act, async (from, to) => {
    if (selected && [from, to].includes(selected.sid)) await selectSubaccount(selected.sid);
    if (ui.mainNumberRows.rows.length > 0) await loadMainNumbers();
  });
  wireUndeliveredEvents(act);
  wireBilling(act);
  clearCallHistory = wireCallHistory(act, () => selected?.sid);
}

/**
 * Inside another page's frame the console shows a notice instead of itself: that page could overlay
 * the console's buttons (clickjacking). Refusing to be framed is a header's job (frame-ancestors), which
 * neither a static asset nor a <meta> policy can set, so the page checks for itself.
 */
function refuseFraming(): boolean {
  if (window.top === window.self) return false;
  const notice = document.createElement('p');
  notice.className = 'problem';
  notice.setAttribute('role', 'alert');
  notice.textContent = 'The subaccount console cannot be shown inside another page. Open it in its own tab.';
  document.body.replaceChildren(notice);
  return true;
}

function start(): void {
  if (refuseFraming()) return;
  // Live regions announce changes only once they exist: every answer's place is made up front.
  document.querySelectorAll<HTMLElement>('[data-feedback]').forEach((box) => feedbackFor(box));
  const today = new Date().toISOString().slice(0, 10);
  ui.usageStart.value = `${today.slice(0, 8)}01`;
  ui.usageEnd.value = today;
  wire();
  showKeyState();
  if (adminKey.get()) void act(ui.listForm, 'Loading subaccounts…', () => loadSubaccounts());
}

start();
