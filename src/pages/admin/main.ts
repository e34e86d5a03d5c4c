/**
 * The admin console: subaccount lifecycle, numbers, usage and check/repair through the admin functions
 * (PRODUCT.md). Data only ever reaches the page as text (textContent), never as markup.
 */
// The answers' types come from the server modules that shape them, so the two cannot drift apart.
import type { checkAll as checkAllOnServer, Drift } from '../../admin/subaccounts/check';
import type { SubaccountView } from '../../admin/subaccounts/subaccount-view';
import { byId, say, show } from '../shared/dom';
import { AdminApiError, callAdmin } from './admin-api';
import { listToText, routingToText, textToList, textToRouting } from './inbound-routing';
import { adminKey } from './key-store';
import { usageChart } from './usage-chart';

interface NumberView {
  sid: string;
  phoneNumber: string;
  voiceApplicationSid: string | null;
}

interface UsageAnswer {
  currency: string;
  totalPrice: number;
  categories: { category: string; description: string; price: number }[];
}

const ui = {
  status: byId('status'),
  problem: byId('problem'),
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
  detail: byId('detail'),
  detailTitle: byId('detail-title'),
  facts: byId('facts'),
  updateForm: byId<HTMLFormElement>('update-form'),
  updateName: byId<HTMLInputElement>('update-name'),
  updateCaller: byId<HTMLInputElement>('update-caller'),
  updatePrefixes: byId<HTMLInputElement>('update-prefixes'),
  updateRecording: byId<HTMLInputElement>('update-recording'),
  updateVoicemail: byId<HTMLInputElement>('update-voicemail'),
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
  usageForm: byId<HTMLFormElement>('usage-form'),
  usageStart: byId<HTMLInputElement>('usage-start'),
  usageEnd: byId<HTMLInputElement>('usage-end'),
  usageTotal: byId('usage-total'),
  usageChart: byId('usage-chart'),
  mainNumbersLoad: byId<HTMLButtonElement>('main-numbers-load'),
  mainNumberRows: byId('main-numbers').querySelector('tbody') as HTMLTableSectionElement,
};

type Sweep = Awaited<ReturnType<typeof checkAllOnServer>>;

let selected: SubaccountView | undefined;
let nextCursor: string | undefined;
let mainAccountSid: string | undefined;
// Reused until a create succeeds, so retrying after a lost answer cannot make a second subaccount.
let createIdempotencyKey: string | undefined;

// --- feedback -------------------------------------------------------------------------------------------

function showProblem(message: string): void {
  ui.problem.textContent = message;
  show(ui.problem, true);
}

/** Runs one operator action: a busy message, then the result or the service's refusal in words. */
async function act(busy: string, action: () => Promise<string | undefined>): Promise<void> {
  show(ui.problem, false);
  say(ui.status, busy);
  try {
    const done = await action();
    if (done) say(ui.status, done, 'ok');
  } catch (error) {
    say(ui.status, 'Nothing was changed by the last request.', 'warn');
    if (error instanceof AdminApiError && error.status === 401) {
      adminKey.forget();
      showKeyState();
      showProblem('The admin key was refused. Enter a valid key.');
      return;
    }
    showProblem(error instanceof Error ? error.message : String(error));
  }
}

function cell(row: HTMLTableRowElement, text: string): HTMLTableCellElement {
  const td = row.insertCell();
  td.textContent = text;
  return td;
}

function actionButton(label: string, accessibleName: string, onClick: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.textContent = label;
  button.setAttribute('aria-label', accessibleName);
  button.addEventListener('click', onClick);
  return button;
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
  let cursor: string | undefined;
  do {
    const page: Sweep = await callAdmin<Sweep>('subaccounts/check', cursor ? { cursor } : {});
    for (const subaccount of page.subaccounts) {
      checked += 1;
      if (subaccount.inStep) continue;
      drifted += 1;
      ui.sweepDrift.append(...driftItems(subaccount.drift, `${subaccount.friendlyName}: `));
    }
    cursor = page.nextCursor;
  } while (cursor);
  return drifted === 0
    ? `All ${checked} subaccount(s) agree with Twilio.`
    : `${drifted} of ${checked} subaccount(s) differ from Twilio: select one and press Check and repair.`;
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
  const answer = await callAdmin<{ subaccounts: SubaccountView[]; nextCursor?: string }>('subaccounts/list', {
    ...(ui.filterStatus.value ? { status: ui.filterStatus.value } : {}),
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
          () => void act('Loading…', () => selectSubaccount(subaccount.sid)),
        ),
      );
  }
  nextCursor = answer.nextCursor;
  show(ui.more, Boolean(nextCursor));
  const count = ui.rows.rows.length;
  return count === 0 ? 'No subaccounts match.' : `${count} subaccount${count === 1 ? '' : 's'} shown.`;
}

async function selectSubaccount(sid: string): Promise<string> {
  const { subaccount } = await callAdmin<{ subaccount: SubaccountView }>('subaccounts/get', {
    subaccountSid: sid,
  });
  showSubaccount(subaccount);
  await loadNumbers();
  return `${subaccount.friendlyName} selected.`;
}

function showSubaccount(subaccount: SubaccountView): void {
  selected = subaccount;
  show(ui.detail, true);
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
  ui.updatePrefixes.value = listToText(subaccount.allowedPrefixes);
  ui.updateRecording.checked = subaccount.recording;
  ui.updateVoicemail.checked = subaccount.voicemail;
  ui.updateRouting.value = routingToText(subaccount.inboundRouting);
  ui.suspend.disabled = subaccount.status !== 'active';
  ui.reactivate.disabled = subaccount.status !== 'suspended';
  ui.drift.replaceChildren();
  ui.closeConfirm.value = '';
}

async function refreshSelected(message: string, answer: { subaccount?: SubaccountView }): Promise<string> {
  if (answer.subaccount) showSubaccount(answer.subaccount);
  await loadSubaccounts();
  return message;
}

// --- numbers --------------------------------------------------------------------------------------------

async function loadNumbers(): Promise<void> {
  if (!selected) return;
  const { numbers } = await callAdmin<{ numbers: NumberView[] }>('numbers/list', {
    accountSid: selected.sid,
  });
  ui.numberRows.replaceChildren();
  for (const number of numbers) {
    const row = ui.numberRows.insertRow();
    cell(row, number.phoneNumber);
    cell(row, number.sid);
    cell(row, number.voiceApplicationSid ?? '—');
    row.insertCell().append(
      actionButton(
        'Move to main account',
        `Move ${number.phoneNumber} to the main account`,
        () =>
          void act(`Moving ${number.phoneNumber}…`, async () => {
            const from = selected?.sid;
            await callAdmin('numbers/transfer', {
              phoneNumberSid: number.sid,
              fromAccountSid: from,
              toAccountSid: await mainSid(),
            });
            if (from) await selectSubaccount(from);
            return `${number.phoneNumber} moved to the main account.`;
          }),
      ),
    );
  }
}

async function mainSid(): Promise<string> {
  mainAccountSid ??= (await callAdmin<{ accountSid: string }>('numbers/list', { pageSize: 1 })).accountSid;
  return mainAccountSid;
}

async function loadMainNumbers(): Promise<string> {
  const answer = await callAdmin<{ accountSid: string; numbers: NumberView[] }>('numbers/list', {});
  mainAccountSid = answer.accountSid;
  ui.mainNumberRows.replaceChildren();
  for (const number of answer.numbers) {
    const row = ui.mainNumberRows.insertRow();
    cell(row, number.phoneNumber);
    cell(row, number.sid);
    row.insertCell().append(
      actionButton(
        'Move to selected',
        `Move ${number.phoneNumber} to the selected subaccount`,
        () =>
          void act(`Moving ${number.phoneNumber}…`, async () => {
            if (!selected) throw new Error('Select a subaccount first.');
            const target = selected;
            await callAdmin('numbers/transfer', { phoneNumberSid: number.sid, toAccountSid: target.sid });
            await selectSubaccount(target.sid);
            await loadMainNumbers();
            return `${number.phoneNumber} moved to ${target.friendlyName}.`;
          }),
      ),
    );
  }
  return `${answer.numbers.length} number(s) in the main account.`;
}

// --- usage ----------------------------------------------------------------------------------------------

async function showUsage(): Promise<string> {
  if (!selected) return 'Select a subaccount first.';
  const usage = await callAdmin<UsageAnswer>('usage', {
    subaccountSid: selected.sid,
    startDate: ui.usageStart.value,
    endDate: ui.usageEnd.value,
  });
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

function onSelected(busy: string, action: (subaccount: SubaccountView) => Promise<string>): () => void {
  return () => {
    if (selected) void act(busy, () => action(selected as SubaccountView));
  };
}

function wire(): void {
  ui.keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    adminKey.set(ui.keyInput.value.trim());
    ui.keyInput.value = '';
    showKeyState();
    void act('Loading subaccounts…', () => loadSubaccounts());
  });
  ui.forgetKey.addEventListener('click', () => {
    adminKey.forget();
    showKeyState();
    say(ui.status, 'Admin key forgotten.');
  });
  ui.listForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act('Loading subaccounts…', () => loadSubaccounts());
  });
  ui.more.addEventListener('click', () => void act('Loading more…', () => loadSubaccounts(true)));
  ui.createForm.addEventListener('input', () => (createIdempotencyKey = undefined));
  ui.createForm.addEventListener('submit', (event) => {
    event.preventDefault();
    createIdempotencyKey ??= crypto.randomUUID();
    const area = ui.createArea.value.trim();
    void act('Creating the subaccount (key, app and number included)…', async () => {
      const { subaccount } = await callAdmin<{ subaccount: SubaccountView }>('subaccounts/create', {
        friendlyName: ui.createName.value.trim(),
        idempotencyKey: createIdempotencyKey,
        ...(area ? { areaCode: area } : {}),
      });
      createIdempotencyKey = undefined;
      ui.createForm.reset();
      await loadSubaccounts();
      await selectSubaccount(subaccount.sid);
      return `Created ${subaccount.friendlyName} (${subaccount.sid}).`;
    });
  });
  ui.updateForm.addEventListener('submit', (event) => {
    event.preventDefault();
    onSelected('Saving…', async (subaccount) => {
      const answer = await callAdmin<{ subaccount: SubaccountView }>('subaccounts/update', {
        subaccountSid: subaccount.sid,
        ifRevision: subaccount.revision,
        friendlyName: ui.updateName.value.trim(),
        ...(ui.updateCaller.value.trim() ? { callerId: ui.updateCaller.value.trim() } : {}),
        allowedPrefixes: textToList(ui.updatePrefixes.value),
        recording: ui.updateRecording.checked,
        voicemail: ui.updateVoicemail.checked,
        inboundRouting: textToRouting(ui.updateRouting.value),
      });
      return refreshSelected('Saved.', answer);
    })();
  });
  ui.suspend.addEventListener(
    'click',
    onSelected('Suspending and ending its calls…', async (subaccount) => {
      const answer = await callAdmin<{ subaccount: SubaccountView; callsRemaining?: number }>(
        'subaccounts/suspend',
        { subaccountSid: subaccount.sid },
      );
      const remaining = answer.callsRemaining ?? 0;
      return refreshSelected(
        remaining > 0
          ? `Suspended; ${remaining} call(s) still live: press Suspend again to end them.`
          : `${subaccount.friendlyName} is suspended.`,
        answer,
      );
    }),
  );
  ui.reactivate.addEventListener(
    'click',
    onSelected('Reactivating…', async (subaccount) =>
      refreshSelected(
        `${subaccount.friendlyName} is active again.`,
        await callAdmin('subaccounts/reactivate', { subaccountSid: subaccount.sid }),
      ),
    ),
  );
  ui.rotateKey.addEventListener(
    'click',
    onSelected('Rotating the API key…', async (subaccount) =>
      refreshSelected(
        'New API key in use; the old one keeps working until the tokens signed with it expire.',
        await callAdmin('subaccounts/rotate-key', { subaccountSid: subaccount.sid }),
      ),
    ),
  );
  const check = (repair: boolean) =>
    onSelected(repair ? 'Checking and repairing…' : 'Checking…', async (subaccount) => {
      const answer = await callAdmin<{
        subaccount: SubaccountView;
        inStep: boolean;
        drift: Drift[];
      }>('subaccounts/check', { subaccountSid: subaccount.sid, repair });
      showSubaccount(answer.subaccount);
      ui.drift.replaceChildren(...driftItems(answer.drift));
      return answer.inStep ? 'Twilio and the registry agree.' : `${answer.drift.length} difference(s) found.`;
    });
  ui.checkAll.addEventListener('click', () => void act('Checking every subaccount…', checkAll));
  ui.check.addEventListener('click', check(false));
  ui.repair.addEventListener('click', check(true));
  ui.closeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    onSelected('Closing…', async (subaccount) => {
      if (ui.closeConfirm.value.trim() !== subaccount.sid) {
        throw new Error(`Type ${subaccount.sid} to confirm closing ${subaccount.friendlyName}.`);
      }
      const answer = await callAdmin<{ subaccount: SubaccountView; numbersRemaining?: number }>(
        'subaccounts/close',
        { subaccountSid: subaccount.sid, confirm: subaccount.sid, releaseNumbers: ui.closeRelease.checked },
      );
      return refreshSelected(
        answer.numbersRemaining
          ? `${answer.numbersRemaining} number(s) still to move: press Close again to finish.`
          : `${subaccount.friendlyName} is closed.`,
        answer,
      );
    })();
  });
  ui.usageForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act('Reading usage…', showUsage);
  });
  ui.mainNumbersLoad.addEventListener('click', () => void act('Loading numbers…', loadMainNumbers));
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
  const today = new Date().toISOString().slice(0, 10);
  ui.usageStart.value = `${today.slice(0, 8)}01`;
  ui.usageEnd.value = today;
  wire();
  showKeyState();
  if (adminKey.get()) void act('Loading subaccounts…', () => loadSubaccounts());
}

start();
