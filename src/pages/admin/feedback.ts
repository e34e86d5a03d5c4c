import { say, show } from '../common/dom';

/**
 * How the console runs an operator action: `control` is what the operator pressed (a button, a form),
 * and the busy message, then the outcome or the refusal in words, are shown beside it.
 */
export type Act = (
  control: HTMLElement,
  busy: string,
  action: () => Promise<string | undefined>,
) => Promise<void>;

export interface Feedback {
  status: HTMLElement;
  problem: HTMLElement;
}

/**
 * The status line and problem box of the control's own place: the nearest container marked
 * `data-feedback` (a form, a row of buttons, a table with its paging), made there on first use, so an
 * answer never lands far from the button that asked for it.
 */
export function feedbackFor(control: HTMLElement): Feedback {
  const box = control.closest<HTMLElement>('[data-feedback]');
  if (!box)
    throw new Error(`No feedback place around #${control.id || control.tagName}: mark one data-feedback`);
  let place = box.querySelector<HTMLElement>(':scope > .feedback');
  if (!place) {
    place = document.createElement('div');
    place.className = 'feedback';
    const status = document.createElement('p');
    status.className = 'status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    const problem = document.createElement('p');
    problem.className = 'problem';
    problem.setAttribute('role', 'alert');
    problem.hidden = true;
    place.append(status, problem);
    box.append(place);
  }
  return {
    status: place.querySelector('.status') as HTMLElement,
    problem: place.querySelector('.problem') as HTMLElement,
  };
}

/** Says `text` beside `control`, clearing any problem shown there. */
export function sayBeside(control: HTMLElement, text: string, tone?: 'ok' | 'warn' | 'info'): void {
  const { status, problem } = feedbackFor(control);
  show(problem, false);
  say(status, text, tone);
}

/** Shows a problem beside `control`. */
export function problemBeside(control: HTMLElement, message: string): void {
  const { problem } = feedbackFor(control);
  problem.textContent = message;
  show(problem, true);
}
