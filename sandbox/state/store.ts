import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { emptyState, type SandboxState } from './types';

/**
 * State lives in one JSON file. A missing file is a fresh start; a file that does not parse is refused
 * rather than silently replaced, so a person never loses state without asking (`--fresh`).
 */
export function loadState(file: string): SandboxState {
  if (!existsSync(file)) return emptyState();
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<SandboxState>;
  const state = { ...emptyState(), ...saved };
  // Saved before numbers had a country: the sandbox only ever handed out US numbers then.
  for (const number of state.incomingPhoneNumbers) number.isoCountry ??= 'US';
  return state;
}

/** Written to a temporary file and renamed over the old one, so a crash leaves the old or new state whole. */
export function saveState(file: string, state: SandboxState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic.sync(file, JSON.stringify(state, null, 2));
}
