/** The console's views (admin.html's data-view-panel boxes): one shown at a time. */
export type View = 'subaccounts' | 'detail' | 'numbers' | 'billing' | 'events';

/** Where each view sits in the top navigation: one subaccount's detail belongs to Subaccounts. */
const NAV_ENTRY: Record<View, string> = {
  subaccounts: 'subaccounts',
  detail: 'subaccounts',
  numbers: 'numbers',
  billing: 'billing',
  events: 'events',
};

/** Shows `view` alone and marks its entry in the navigation as current (for screen readers too). */
export function showView(view: View): void {
  document.querySelectorAll<HTMLElement>('[data-view-panel]').forEach((panel) => {
    panel.hidden = panel.dataset.viewPanel !== view;
  });
  document.querySelectorAll<HTMLElement>('[data-view]').forEach((entry) => {
    if (entry.dataset.view === NAV_ENTRY[view]) entry.setAttribute('aria-current', 'page');
    else entry.removeAttribute('aria-current');
  });
  window.scrollTo(0, 0);
}

/** The navigation's buttons open their views. */
export function wireViews(): void {
  document.querySelectorAll<HTMLElement>('[data-view]').forEach((entry) => {
    entry.addEventListener('click', () => showView(entry.dataset.view as View));
  });
}
