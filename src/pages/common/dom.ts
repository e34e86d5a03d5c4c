/** The element with this id; a missing one is a bug in the page, so it fails loudly at start. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no element #${id}`);
  return element as T;
}

export function show(element: HTMLElement, visible: boolean): void {
  element.hidden = !visible;
}

/** A status line (role="status") with a tone the stylesheet colours. */
export function say(element: HTMLElement, text: string, tone: 'ok' | 'warn' | 'info' = 'info'): void {
  element.textContent = text;
  element.dataset.tone = tone;
}

/** A secondary button whose accessible name says which row it acts on (`Delete` → `Delete RE…`). */
export function actionButton(
  label: string,
  accessibleName: string,
  onClick: (button: HTMLButtonElement) => void,
): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.textContent = label;
  button.setAttribute('aria-label', accessibleName);
  button.addEventListener('click', () => onClick(button));
  return button;
}
