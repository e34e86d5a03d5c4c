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
