import { createHmac, timingSafeEqual } from 'node:crypto';
import { derivedKey, ringKey, type KeyRing } from '../config/key-ring';

/**
 * The MAC every Sync item the service writes carries, so that nothing it reads back is trusted unless
 * the service wrote it: Sync write access is held by anyone with the main account's credentials or a
 * main-account API key with Sync rights, and the registry decides who may call where.
 *
 * Stored as one field of the item's data, `_seal: { kid, v, mac }`:
 * - `mac`: HMAC-SHA256, base64url, with a key derived (HKDF, `derivedKey`) from a REGISTRY_ENCRYPTION_KEY,
 *   over the item's Map name, its key, `v` and its whole data (every other field), as canonical JSON
 *   (keys sorted at every level: Sync hands JSON back, and nothing promises it keeps key order). An item
 *   copied to another key or Map, or changed by one byte, does not verify.
 * - `kid`: the id of the key (config/key-ring.ts): reads accept any listed key, writes use the newest.
 * - `v`: the item's version, inside the MAC, at least the time of the write in milliseconds and more
 *   than the version it replaces: a copy of an older write put back (a restore) carries an older `v`,
 *   which the registry checks against the version its directory summary recorded (layout.ts).
 */
export const SEAL_FIELD = '_seal';

export interface Seal {
  kid: string;
  v: number;
  mac: string;
}

/** Why an item does not verify: `unsigned` items can be migrated once (docs/registry-integrity.md). */
export type SealFault = 'unsigned' | 'malformed' | 'unknown_key' | 'mac_mismatch';

export type Opened =
  { ok: true; data: object; version: number; kid: string } | { ok: false; fault: SealFault; data: object };

const MAC_PURPOSE = 'registry-item-mac/v1';

/** The MAC keys of a ring, derived once per ring (a config's ring lives as long as the config). */
const macKeys = new WeakMap<KeyRing<Buffer>, KeyRing<Buffer>>();
function macRing(ring: KeyRing<Buffer>): KeyRing<Buffer> {
  let derived = macKeys.get(ring);
  if (!derived) {
    derived = ring.map(({ id, key }) => ({
      id,
      key: derivedKey(key, MAC_PURPOSE),
    })) as unknown as KeyRing<Buffer>;
    macKeys.set(ring, derived);
  }
  return derived;
}

/** The data to store: `data` with its seal under the newest key, at version `version`. */
export function sealItem(
  ring: KeyRing<Buffer>,
  map: string,
  key: string,
  data: object,
  version: number,
): object {
  const unsealed = withoutSeal(data);
  const [newest] = macRing(ring);
  const seal: Seal = { kid: newest.id, v: version, mac: macOf(newest.key, map, key, version, unsealed) };
  return { ...unsealed, [SEAL_FIELD]: seal };
}

/** Verifies a stored item's seal; on success, its data without the seal. One HMAC per read. */
export function openItem(ring: KeyRing<Buffer>, map: string, key: string, stored: unknown): Opened {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    return { ok: false, fault: 'malformed', data: {} };
  }
  const data = withoutSeal(stored);
  if (!Object.hasOwn(stored, SEAL_FIELD)) return { ok: false, fault: 'unsigned', data };
  const seal = (stored as Record<string, unknown>)[SEAL_FIELD];
  if (!isSeal(seal)) return { ok: false, fault: 'malformed', data };
  const macKey = ringKey(macRing(ring), seal.kid);
  if (!macKey) return { ok: false, fault: 'unknown_key', data };
  // Compared as text, not as decoded bytes: base64 decoders ignore the spare bits of the last
  // character, so two spellings of one MAC would otherwise both pass.
  const expected = Buffer.from(macOf(macKey.key, map, key, seal.v, data), 'utf8');
  const given = Buffer.from(seal.mac, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, fault: 'mac_mismatch', data };
  }
  return { ok: true, data, version: seal.v, kid: seal.kid };
}

/** A version for a write: the time in milliseconds, past every version it must follow. */
export function nextVersion(now: number, ...after: readonly (number | undefined)[]): number {
  return Math.max(now, ...after.map((version) => (version ?? 0) + 1));
}

export function describeFault(fault: SealFault): string {
  switch (fault) {
    case 'unsigned':
      return 'it carries no MAC (written before items were signed, or stripped)';
    case 'malformed':
      return 'its MAC field is malformed';
    case 'unknown_key':
      return 'its MAC names a key REGISTRY_ENCRYPTION_KEY does not list';
    case 'mac_mismatch':
      return 'its MAC does not match its content (changed outside the service, or moved from another item)';
  }
}

function macOf(key: Buffer, map: string, itemKey: string, version: number, data: object): string {
  return createHmac('sha256', key)
    .update(canonicalJson(['registry-item/v1', map, itemKey, version, data]))
    .digest('base64url');
}

function isSeal(value: unknown): value is Seal {
  if (typeof value !== 'object' || value === null) return false;
  const seal = value as Record<string, unknown>;
  return (
    typeof seal.kid === 'string' &&
    typeof seal.mac === 'string' &&
    typeof seal.v === 'number' &&
    Number.isSafeInteger(seal.v) &&
    seal.v > 0
  );
}

function withoutSeal(data: object): object {
  if (!Object.hasOwn(data, SEAL_FIELD)) return data;
  const { [SEAL_FIELD]: _seal, ...rest } = data as Record<string, unknown>;
  return rest;
}

/** JSON with object keys sorted at every level: the same bytes for the same data, whatever the order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((entry) => canonicalJson(entry ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, entry]) => `${JSON.stringify(name)}:${canonicalJson(entry)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
