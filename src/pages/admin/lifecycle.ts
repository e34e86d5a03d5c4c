import type { SubaccountView } from '../../admin/answers';
import { byId } from '../common/dom';
import { callAdmin } from './admin-api';
import { driftItems } from './cells';
import { confirmAction, type Confirmation } from './confirm-dialog';
import { problemBeside, sayBeside } from './feedback';
import type { ConsoleApp } from './state';

/** A tenant as the dialogs name it: its name and SID, so the operator can tell two of a name apart. */
const named = (tenant: SubaccountView) => `${tenant.friendlyName} (${tenant.sid})`;

/** What closing does to the subaccount's numbers, each named. */
function numbersOnClose(tenant: SubaccountView, release: boolean): string {
  const numbers = tenant.numbers.map((number) => number.phoneNumber).join(', ');
  if (!numbers) return 'It has no numbers.';
  return release
    ? `Its numbers ${numbers} are released: they go back to Twilio and may never be had again.`
    : `Its numbers ${numbers} move to the main account.`;
}

type Action = (tenant: SubaccountView) => Promise<string>;
type Ask = (tenant: SubaccountView) => Confirmation;

export interface Lifecycle {
  /** The controls follow the tenant shown (which may be pressed now). */
  follow(tenant: SubaccountView): void;
}

/**
 * The Lifecycle part of the detail view: suspend, reactivate, rotate the API key, check and repair,
 * close (subaccounts), disconnect (connected accounts). What cannot simply be taken back asks first
 * in the dialog that names the tenant; close and disconnect also want its SID typed.
 */
export function wireLifecycle(app: ConsoleApp): Lifecycle {
  const { state, act } = app;
  const suspend = byId<HTMLButtonElement>('suspend');
  const reactivate = byId<HTMLButtonElement>('reactivate');
  const drift = byId('drift');
  const closeConfirm = byId<HTMLInputElement>('close-confirm');
  const disconnectConfirm = byId<HTMLInputElement>('disconnect-confirm');

  /** Runs `action` on the tenant selected now, beside `control`; with `ask`, once confirmed. */
  const onSelected = async (control: HTMLElement, busy: string, action: Action, ask?: Ask) => {
    const tenant = state.selected;
    if (!tenant) return;
    if (ask && !(await confirmAction(ask(tenant)))) {
      sayBeside(control, 'Cancelled: nothing was changed.');
      return;
    }
    await act(control, busy, () => action(tenant));
  };
  const press = (button: HTMLButtonElement, busy: string, action: Action, ask?: Ask) =>
    button.addEventListener('click', () => void onSelected(button, busy, action, ask));
  const refreshed = async (message: string, tenant: SubaccountView) => {
    app.showTenant(tenant);
    await app.reloadList();
    return message;
  };
  /** The typed SID comes first (the service wants it as confirm); the dialog then says what it does. */
  const typedSid = (form: HTMLFormElement, input: HTMLInputElement, what: string): boolean => {
    const tenant = state.selected;
    if (!tenant || input.value.trim() === tenant.sid) return true;
    sayBeside(form, `Nothing was ${what}.`);
    problemBeside(
      form,
      `Type ${tenant.sid} to confirm ${what === 'closed' ? 'closing' : 'disconnecting'} ${tenant.friendlyName}.`,
    );
    return false;
  };

  press(
    suspend,
    'Suspending and ending its calls…',
    async (tenant) => {
      const answer = await callAdmin('/admin/subaccounts/suspend', { subaccountSid: tenant.sid });
      return refreshed(
        answer.callsRemaining > 0
          ? `Suspended; ${answer.callsRemaining} call(s) still live: press Suspend again to end them.`
          : `${tenant.friendlyName} is suspended.`,
        answer.subaccount,
      );
    },
    (tenant) => ({
      title: `Suspend ${named(tenant)}?`,
      consequence: 'Its calls in progress end, and its users cannot sign in or call until it is reactivated.',
      confirmLabel: `Suspend ${tenant.friendlyName}`,
    }),
  );
  press(reactivate, 'Reactivating…', async (tenant) => {
    const answer = await callAdmin('/admin/subaccounts/reactivate', { subaccountSid: tenant.sid });
    return refreshed(
      `${tenant.friendlyName} is active again; its tokens and calls may still be refused for up to ${answer.settlesWithinSeconds} s.`,
      answer.subaccount,
    );
  });
  press(byId<HTMLButtonElement>('rotate-key'), 'Rotating the API key…', async (tenant) =>
    refreshed(
      'New API key in use; the old one keeps working until the tokens signed with it expire.',
      (await callAdmin('/admin/subaccounts/rotate-key', { subaccountSid: tenant.sid })).subaccount,
    ),
  );
  const check = (repair: boolean) => async (tenant: SubaccountView) => {
    const answer = await callAdmin('/admin/subaccounts/check', { subaccountSid: tenant.sid, repair });
    if (!('subaccount' in answer))
      throw new Error('The service answered a sweep to a check of one subaccount.');
    app.showTenant(answer.subaccount);
    drift.replaceChildren(...driftItems(answer.drift));
    return answer.inStep ? 'Twilio and the registry agree.' : `${answer.drift.length} difference(s) found.`;
  };
  press(byId<HTMLButtonElement>('check'), 'Checking…', check(false));
  press(byId<HTMLButtonElement>('repair'), 'Checking and repairing…', check(true));

  const closeForm = byId<HTMLFormElement>('close-form');
  const release = byId<HTMLInputElement>('close-release');
  closeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!typedSid(closeForm, closeConfirm, 'closed')) return;
    const releaseNumbers = release.checked;
    void onSelected(
      closeForm,
      'Closing…',
      async (tenant) => {
        const answer = await callAdmin('/admin/subaccounts/close', {
          subaccountSid: tenant.sid,
          confirm: tenant.sid,
          releaseNumbers,
        });
        if (!answer.closed) {
          return `${answer.numbersRemaining} number(s) still to move: press Close again to finish.`;
        }
        // It stays in view, closed (the answer sits beside Close), and the list shows it closed.
        app.showTenant({ ...tenant, status: 'closed', numbers: [] });
        await app.reloadList();
        return `${tenant.friendlyName} is closed.`;
      },
      (tenant) => ({
        title: `Close ${named(tenant)} for good?`,
        consequence: `A closed subaccount cannot be reopened. ${numbersOnClose(tenant, releaseNumbers)}`,
        confirmLabel: releaseNumbers ? `Close and release its numbers` : `Close ${tenant.friendlyName}`,
      }),
    );
  });

  const disconnectForm = byId<HTMLFormElement>('disconnect-form');
  const disconnectButton = disconnectForm.querySelector('button[type="submit"]') as HTMLButtonElement;
  disconnectForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!typedSid(disconnectForm, disconnectConfirm, 'disconnected')) return;
    void onSelected(
      disconnectForm,
      'Disconnecting…',
      async (tenant) => {
        const answer = await callAdmin('/admin/accounts/disconnect', {
          accountSid: tenant.sid,
          confirm: tenant.sid,
        });
        app.showTenant(answer.account);
        await app.reloadList();
        const restored = answer.numbersRestored.length;
        const left = answer.numbersLeft.map((number) => number.phoneNumber);
        return [
          `${tenant.friendlyName} is disconnected: this service's TwiML App and API key there are deleted.`,
          ...(restored > 0 ? [`${restored} number(s) ring where they rang before it was connected.`] : []),
          ...(left.length > 0 ? [`Left as their owner set them: ${left.join(', ')}.`] : []),
        ].join(' ');
      },
      (tenant) => ({
        title: `Disconnect ${named(tenant)}?`,
        consequence:
          'This service stops serving the account: its users cannot sign in or call through it. In that account, the numbers it pointed get back the voice setting they had, and its TwiML App and API key are deleted; nothing else there changes, and the account itself stays open. Connecting it again later is a new connect.',
        confirmLabel: `Disconnect ${tenant.friendlyName}`,
      }),
    );
  });

  return {
    follow(tenant) {
      suspend.disabled = tenant.status !== 'active';
      reactivate.disabled = tenant.status !== 'suspended';
      drift.replaceChildren();
      closeConfirm.value = '';
      disconnectConfirm.value = '';
      // A disconnected account has nothing left to disconnect (connecting it again is a new connect);
      // the form stays, with the answer beside it.
      disconnectButton.disabled = disconnectConfirm.disabled = tenant.status === 'disconnected';
    },
  };
}
