/**
 * The admin console: subaccounts and connected accounts, their lifecycle, numbers, usage and
 * check/repair through the admin functions (docs/admin.md). Data only ever reaches the page as text
 * (textContent), never as markup. Each view is a module of its own; what they share is one state
 * object (state.ts), made here and handed to each.
 */
import { feedbackFor } from './feedback';
import { wireAdoptSection } from './adopt-section';
import { wireBilling } from './billing';
import { wireCallHistory } from './call-history';
import { wireConnectForm } from './connect-form';
import { wireCreateForm } from './create-form';
import { wireCredentialsDialog } from './credentials-dialog';
import { adminKey } from './key-store';
import { wireLifecycle } from './lifecycle';
import { wireNumberTransfer } from './number-transfer';
import { wireNumbersView } from './numbers-view';
import { wireSession } from './session';
import { newConsoleState, type ConsoleApp } from './state';
import { wireTenantDetail } from './tenant-detail';
import { wireTenantList } from './tenant-list';
import { wireUndeliveredEvents } from './undelivered-events';
import { wireUsageSection } from './usage-section';
import { byId } from '../common/dom';
import { wireViews } from './views';

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

/** Every view wired to the one state; the views reach each other only through `app`. */
function wire(): () => void {
  const listForm = byId<HTMLFormElement>('list-form');
  const showList = () => void app.act(listForm, 'Loading subaccounts…', () => list.load());
  const session = wireSession(showList);
  const transfer = wireNumberTransfer(session.act, async (from, to) => {
    const shown = app.state.selected?.sid;
    if (shown && [from, to].includes(shown)) await detail.select(shown);
    await numbers.refreshMainNumbers();
  });
  const app: ConsoleApp = {
    state: newConsoleState(),
    act: session.act,
    transfer,
    reloadList: () => list.load(),
    select: (sid) => detail.select(sid),
    showTenant: (tenant) => detail.show(tenant),
    open: (control, sid) => detail.open(control, sid),
  };
  const clearCallHistory = wireCallHistory(app.act, () => app.state.selected?.sid);
  const numbers = wireNumbersView(app);
  const lifecycle = wireLifecycle(app);
  const detail = wireTenantDetail(app, {
    shown: (tenant) => lifecycle.follow(tenant),
    selected: async (_sid, another) => {
      if (another) clearCallHistory();
      await numbers.loadTenantNumbers();
    },
  });
  const list = wireTenantList(app, wireCredentialsDialog(app));
  wireCreateForm(app);
  wireConnectForm(app);
  wireAdoptSection(app);
  wireUsageSection(app);
  wireViews();
  wireUndeliveredEvents(app.act);
  wireBilling(app.act);
  session.showKeyState();
  return showList;
}

function start(): void {
  if (refuseFraming()) return;
  // Live regions announce changes only once they exist: every answer's place is made up front.
  document.querySelectorAll<HTMLElement>('[data-feedback]').forEach((box) => feedbackFor(box));
  const showList = wire();
  if (adminKey.get()) showList();
}

start();
