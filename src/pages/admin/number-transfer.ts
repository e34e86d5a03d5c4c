import { byId } from '../common/dom';
import { callAdmin } from './admin-api';
import type { Act } from './feedback';
import { showView } from './views';

/**
 * "Move a number between accounts" (the Numbers view): any number from any account to any other, the
 * main account or a subaccount, through /admin/numbers/transfer. Account SIDs are offered by name from
 * the accounts the console has seen; any SID may be typed.
 */
export interface NumberTransfer {
  /** Fills in a number and where it is now, and opens the form: the operator picks where it goes. */
  prefill(phoneNumberSid: string, fromAccountSid: string): void;
  /** Offers these accounts by name in the From and To fields. */
  offer(accounts: readonly { sid: string; name: string }[]): void;
}

/** `afterMove` refreshes what shows the number (the lists of the accounts it left and joined). */
export function wireNumberTransfer(
  act: Act,
  afterMove: (fromAccountSid: string, toAccountSid: string) => Promise<void>,
): NumberTransfer {
  const form = byId<HTMLFormElement>('transfer-form');
  const number = byId<HTMLInputElement>('transfer-number');
  const from = byId<HTMLInputElement>('transfer-from');
  const to = byId<HTMLInputElement>('transfer-to');
  const choices = byId<HTMLDataListElement>('account-choices');
  const names = new Map<string, string>();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const fromSid = from.value.trim();
    const toSid = to.value.trim();
    void act(form, 'Moving the number…', async () => {
      const answer = await callAdmin('/admin/numbers/transfer', {
        phoneNumberSid: number.value.trim(),
        fromAccountSid: fromSid,
        toAccountSid: toSid,
      });
      await afterMove(answer.fromAccountSid, answer.toAccountSid);
      const gaining = names.get(answer.toAccountSid) ?? answer.toAccountSid;
      return [`${answer.number.phoneNumber} moved to ${gaining}.`, ...answer.warnings].join(' ');
    });
  });

  return {
    prefill(phoneNumberSid, fromAccountSid) {
      number.value = phoneNumberSid;
      from.value = fromAccountSid;
      to.value = '';
      showView('numbers');
      to.focus();
    },
    offer(accounts) {
      for (const { sid, name } of accounts) names.set(sid, name);
      choices.replaceChildren(
        ...[...names].map(([sid, name]) => {
          const option = document.createElement('option');
          option.value = sid;
          option.label = name;
          return option;
        }),
      );
    },
  };
}
