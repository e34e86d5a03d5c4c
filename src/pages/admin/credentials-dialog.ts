import type { SubaccountView } from '../../admin/answers';
import { byId, show } from '../common/dom';
import { callAdmin } from './admin-api';
import { sayBeside } from './feedback';
import type { ConsoleApp } from './state';

/** Where the softphone is served: beside the console, on the service's own origin. */
const SOFTPHONE_PAGE = 'softphone.html';

/**
 * "Update credentials" (a connected account's row menu): its owner changed the auth token in their
 * Console, the admin enters the new one and presses Authorize. The service checks it with Twilio
 * before keeping it; the field is emptied as the request leaves. Then the console offers a test call,
 * as agencies make one after updating an account's credentials: "Make a test call" opens the account's
 * softphone in a new tab, signed in with a two-minute ticket for the test identity
 * (/admin/accounts/test-call-ticket), from which the admin calls any phone. The ticket travels in the
 * URL fragment, which the browser never sends to a server (docs/tickets.md).
 */
export function wireCredentialsDialog(
  app: ConsoleApp,
): (control: HTMLElement, tenant: SubaccountView) => void {
  const dialog = byId<HTMLDialogElement>('credentials-dialog');
  const title = byId('credentials-title');
  const form = byId<HTMLFormElement>('credentials-form');
  const sid = byId<HTMLInputElement>('credentials-sid');
  const token = byId<HTMLInputElement>('credentials-token');
  const offer = byId('test-call-offer');
  const testCall = byId<HTMLButtonElement>('test-call');
  let opener: HTMLElement | undefined;

  const close = () => {
    token.value = '';
    dialog.close();
    opener?.focus();
  };
  byId<HTMLButtonElement>('credentials-cancel').addEventListener('click', close);
  byId<HTMLButtonElement>('test-call-later').addEventListener('click', close);
  dialog.addEventListener('close', () => {
    token.value = '';
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const accountSid = sid.value;
    const authToken = token.value;
    token.value = '';
    void app.act(form, 'Checking the new auth token with Twilio…', async () => {
      const answer = await callAdmin('/admin/accounts/update-credentials', { accountSid, authToken });
      if (app.state.selected?.sid === accountSid) app.showTenant(answer.account);
      await app.reloadList();
      show(form, false);
      show(offer, true);
      sayBeside(
        offer,
        `Credentials of ${answer.account.friendlyName} updated: in force here now, everywhere within ${answer.settlesWithinSeconds} s.`,
        'ok',
      );
      testCall.focus();
      return undefined;
    });
  });

  testCall.addEventListener('click', () => {
    // Opened now, while the press still counts as the operator's (a tab opened after an await may be
    // blocked), and pointed at the softphone once the ticket is in.
    const tab = window.open('about:blank', '_blank');
    const accountSid = sid.value;
    void app.act(testCall, 'Opening the softphone…', async () => {
      if (!tab)
        throw new Error('The browser blocked the new tab: allow pop-ups for this page and try again.');
      try {
        const { ticket, identity } = await callAdmin('/admin/accounts/test-call-ticket', { accountSid });
        tab.opener = null;
        const softphone = new URL(SOFTPHONE_PAGE, window.location.href);
        softphone.hash = `ticket=${encodeURIComponent(ticket)}`;
        tab.location.href = softphone.href;
        return `The softphone opened in a new tab, signed in as ${identity}: call any phone from it.`;
      } catch (error) {
        tab.close();
        throw error;
      }
    });
  });

  return (control, tenant) => {
    opener = control;
    title.textContent = `Update credentials of ${tenant.friendlyName}`;
    sid.value = tenant.sid;
    token.value = '';
    show(form, true);
    show(offer, false);
    sayBeside(form, "Enter the auth token shown in that account's Twilio Console, then press Authorize.");
    dialog.showModal();
    token.focus();
  };
}
