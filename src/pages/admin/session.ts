import { AdminRefusal } from '../../client/admin-client';
import { byId, say, show } from '../common/dom';
import { feedbackFor, problemBeside, sayBeside, type Act } from './feedback';
import { afterFailure } from './failure-text';
import { adminKey } from './key-store';

export interface Session {
  /** Runs one operator action beside the control pressed (feedback.ts `Act`). */
  act: Act;
  /** Shows the key form or the workspace, whichever the tab's key allows. */
  showKeyState(): void;
}

/**
 * The admin key form and how every action runs: a busy message, then the result or the service's
 * refusal in words, beside the control pressed. A refused admin key is said beside the key form, the
 * only place left to act. `signedIn` runs once a key is entered (the first list).
 */
export function wireSession(signedIn: () => void): Session {
  const keyForm = byId<HTMLFormElement>('key-form');
  const keyInput = byId<HTMLInputElement>('admin-key');
  const keySet = byId('key-set');
  const workspace = byId('workspace');

  const showKeyState = () => {
    const hasKey = Boolean(adminKey.get());
    show(keyForm, !hasKey);
    show(keySet, hasKey);
    show(workspace, hasKey);
  };

  const act: Act = async (control, busy, action) => {
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
        problemBeside(keyForm, 'The admin key was refused. Enter a valid key.');
        return;
      }
      problem.textContent = error instanceof Error ? error.message : String(error);
      show(problem, true);
    }
  };

  keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    adminKey.set(keyInput.value.trim());
    keyInput.value = '';
    showKeyState();
    signedIn();
  });
  byId<HTMLButtonElement>('forget-key').addEventListener('click', () => {
    adminKey.forget();
    showKeyState();
    sayBeside(keyForm, 'Admin key forgotten.');
  });
  return { act, showKeyState };
}
