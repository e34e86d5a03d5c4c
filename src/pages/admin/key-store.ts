/**
 * The admin key lives in this tab's sessionStorage only: typed in by the operator, gone when the tab
 * closes, never in localStorage, a cookie or the page itself.
 */
const KEY = 'subaccount-console.admin-key';

export const adminKey = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (value: string): void => sessionStorage.setItem(KEY, value),
  forget: (): void => sessionStorage.removeItem(KEY),
};
