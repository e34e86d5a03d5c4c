import type { SandboxState } from './types';

/**
 * Every URL in the state under `from` (an origin, e.g. http://localhost:3000) moved under `to`: the
 * Voice URL of each TwiML App, numbers' and callbacks' URLs, URLs inside registry items. The sandbox's
 * resources are the local service's alone, so when `npm start` moves the service to another port they
 * all follow it. Returns how many URLs changed.
 */
export function repointUrls(state: SandboxState, from: string, to: string): number {
  let changed = 0;
  const moved = (value: string): string => {
    if (value !== from && !value.startsWith(`${from}/`)) return value;
    changed++;
    return `${to}${value.slice(from.length)}`;
  };
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const entries = node as Record<string, unknown>;
    for (const key of Object.keys(entries)) {
      const value = entries[key];
      if (typeof value === 'string') entries[key] = moved(value);
      else visit(value);
    }
  };
  visit(state);
  return changed;
}
