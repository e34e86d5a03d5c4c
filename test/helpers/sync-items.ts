/**
 * Registry items in the sandbox's Sync, reached behind the service's back as a stray write or an
 * attacker with Sync rights would (`itemOf`), or re-signed as an operator does after fixing one
 * (`resealed`: what `check` with `resealItem` does, without the round trip).
 */
import type { Sandbox } from '../../sandbox';
import { loadConfig } from '../../src/config/config';
import { SEAL_FIELD, nextVersion, sealItem } from '../../src/registry/item-seal';

export function itemOf(box: Sandbox, map: string, key: string) {
  const mapSid = box.state.syncMaps.find((m) => m.uniqueName === map)?.sid;
  const item = box.state.syncMapItems.find((i) => i.mapSid === mapSid && i.key === key);
  if (!item) throw new Error(`no item ${map}/${key}`);
  return item;
}

/** Every item of every Map in the sandbox's Sync, with its Map's unique name. */
export function allItems(box: Sandbox) {
  return box.state.syncMapItems.map((item) => ({
    map: box.state.syncMaps.find((m) => m.sid === item.mapSid)?.uniqueName ?? item.mapSid,
    item,
  }));
}

/** Signs the item's current data (seal stripped) as the service would, at a fresh version. */
export function resealed(box: Sandbox, env: Record<string, string>, map: string, key: string): void {
  const item = itemOf(box, map, key);
  const { [SEAL_FIELD]: _old, ...data } = item.data as Record<string, unknown>;
  item.data = sealItem(loadConfig(env).registryKeys, map, key, data, nextVersion(Date.now())) as Record<
    string,
    unknown
  >;
}
