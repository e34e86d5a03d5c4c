import { byId } from '../common/dom';

export interface Confirmation {
  /** The question, naming what it acts on, e.g. "Suspend Acme Dental?". */
  title: string;
  /** What pressing the button does, in words the operator can check. */
  consequence: string;
  /** The button that goes ahead, e.g. "Suspend Acme Dental". */
  confirmLabel: string;
}

/**
 * Asks before an action that cannot simply be taken back (suspend, close, releasing numbers), in the
 * page's one modal <dialog>: true when the operator pressed the confirm button, false on Cancel or Escape.
 * Buttons, not a form of method "dialog": the page's CSP has form-action 'none'.
 */
export function confirmAction({ title, consequence, confirmLabel }: Confirmation): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm-dialog');
  const yes = byId<HTMLButtonElement>('confirm-yes');
  const no = byId<HTMLButtonElement>('confirm-no');
  byId('confirm-title').textContent = title;
  byId('confirm-consequence').textContent = consequence;
  yes.textContent = confirmLabel;
  return new Promise((resolve) => {
    const answer = (confirmed: boolean) => () => dialog.close(confirmed ? 'yes' : 'no');
    const onYes = answer(true);
    const onNo = answer(false);
    yes.addEventListener('click', onYes);
    no.addEventListener('click', onNo);
    dialog.addEventListener(
      'close',
      () => {
        yes.removeEventListener('click', onYes);
        no.removeEventListener('click', onNo);
        resolve(dialog.returnValue === 'yes');
      },
      { once: true },
    );
    dialog.returnValue = '';
    dialog.showModal();
    // The safe choice has the focus: Enter alone never suspends or closes.
    no.focus();
  });
}
