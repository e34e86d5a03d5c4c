/**
 * Simulates the hot paths of many Function instances serving many tenants, on a simulated clock, and
 * counts the Sync reads each Sync object gets per simulated second from the sandbox's request log.
 * Every instance serves, every simulated second, one /token and one inbound /voice call for every
 * tenant (the worst case: every instance sees every tenant all the time), through the service's own
 * hot-path functions and caches.
 *
 * The per-object count is taken from the request log here; once the sandbox counts requests per Sync
 * object itself (its rate limits), `syncObjectOf` is the one place to switch.
 */
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import type { Sandbox } from '../sandbox';
import { loadConfig, type ServiceConfig } from '../src/config/config';
import { subaccountRegistry } from '../src/registry/registry';
import { secretBinding } from '../src/registry/layout';
import { encryptSecret } from '../src/registry/secret-box';
import { clearTenantCache, refreshesSettled } from '../src/registry/tenant-cache';
import type { SubaccountRecord } from '../src/registry/types';
import { tenantSigner } from '../src/tokens/tenant-signer';
import { voicePolicyOf, webhookAccountOf } from '../src/voice/voice-policy';
import { nextVersion, sealItem } from '../src/registry/item-seal';
import { numberItemKey } from '../src/registry/layout';

export interface HotReadLoad {
  tenants: number;
  instances: number;
  seconds: number;
}

export interface HotReadRates {
  /** Most reads one Sync object got in one simulated second. */
  peakPerSecond: number;
  /** Most reads one Sync object got in any 10 simulated seconds, divided by 10 (Sync's burst window). */
  peakPerSecondOver10s: number;
  busiestObject: string;
  syncReads: number;
  /** Reads of Sync objects that are not one tenant's own Map (the directory, say): shared load. */
  sharedObjectReads: number;
  hotRequests: number;
}

/** The Sync object (Map, Document, List) a request is counted on: items count on their Map. */
export function syncObjectOf(path: string): string | undefined {
  const match = /^\/v1\/Services\/[^/]+\/(Maps|Documents|Lists)\/([^/]+)/.exec(path);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function tenantRecord(config: ServiceConfig, index: number): SubaccountRecord {
  const sid = `AC${hex(16)}`;
  const now = new Date().toISOString();
  const phoneNumber = `+1415${String(1_000_000 + index).slice(1)}`;
  return {
    sid,
    friendlyName: `Tenant ${index}`,
    status: 'active',
    apiKey: {
      sid: `SK${hex(16)}`,
      secret: encryptSecret(config.registryEncryptionKey, hex(16), secretBinding(sid)),
      createdAt: now,
    },
    retiringApiKeys: [],
    twimlAppSid: `AP${hex(16)}`,
    numbers: [{ sid: `PN${hex(16)}`, phoneNumber }],
    callerId: phoneNumber,
    inboundRouting: { [phoneNumber]: ['alice', 'bob'] },
    recording: false,
    messagingServiceSid: null,
    idempotencyKey: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Registers `count` tenants: the first through the registry itself, the rest as copies of its Sync
 * items (same layout, other SIDs and numbers), which is much faster than thousands of requests.
 */
async function registerTenants(sandbox: Sandbox, config: ServiceConfig, count: number) {
  const registry = subaccountRegistry(config);
  const records = Array.from({ length: count }, (_, index) => tenantRecord(config, index));
  const [first, ...rest] = records as [SubaccountRecord, ...SubaccountRecord[]];
  await registry.create(first.sid, first);
  const state = sandbox.state;
  const template = (sid: string) => state.syncMapItems.filter((item) => item.mapSid === sid);
  const firstMap = state.syncMaps.find((map) => map.uniqueName === `subaccount-${first.sid}`);
  const directory = state.syncMaps.find((map) => map.uniqueName === 'subaccounts');
  if (!firstMap || !directory) throw new Error('the registry did not write its maps');
  const [firstSummary] = state.syncMapItems.filter((item) => item.mapSid === directory.sid);
  const version = nextVersion(Date.now());
  for (const record of rest) {
    const map = { ...firstMap, sid: `MP${hex(16)}`, uniqueName: `subaccount-${record.sid}` };
    state.syncMaps.push(map);
    const number = record.numbers[0] as { sid: string; phoneNumber: string };
    for (const item of template(firstMap.sid)) {
      const isAccount = item.key === 'account';
      const key = isAccount ? 'account' : numberItemKey(number.phoneNumber);
      const data = isAccount
        ? { ...item.data, sid: record.sid, apiKey: record.apiKey, callerId: number.phoneNumber }
        : { ...item.data, sid: number.sid, phoneNumber: number.phoneNumber };
      // Each copy signed for its own Map and key, as the service would have written it.
      state.syncMapItems.push({
        ...item,
        mapSid: map.sid,
        key,
        data: sealItem(config.registryKeys, map.uniqueName, key, data, version) as Record<string, unknown>,
      });
    }
    if (firstSummary) {
      state.syncMapItems.push({
        ...firstSummary,
        key: record.sid,
        data: sealItem(
          config.registryKeys,
          'subaccounts',
          record.sid,
          { ...firstSummary.data, sid: record.sid, accountVersion: version },
          version,
        ) as Record<string, unknown>,
      });
    }
  }
  return records;
}

/** Runs the load on a simulated clock (the hot paths take `now`) and measures it. */
export async function simulateHotReads(
  sandbox: Sandbox,
  env: Record<string, string>,
  load: HotReadLoad,
): Promise<HotReadRates> {
  const start = Date.now();
  const base = loadConfig(env);
  const records = await registerTenants(sandbox, base, load.tenants);
  // One configuration object per instance: each holds its own caches, as a Function instance does.
  const instances = Array.from({ length: load.instances }, (_, i) =>
    loadConfig({ ...env, ALLOWED_ORIGINS: `https://instance-${i}.example.com` }),
  );
  clearTenantCache();

  const perSecond: Map<string, number>[] = [];
  let hotRequests = 0;
  for (let second = 0; second < load.seconds; second++) {
    const now = start + second * 1000;
    const logStart = sandbox.log.length;
    // Requests of one simulated second, a bounded number at once (the machine's, not Twilio's, limit).
    const limit = pLimit(8);
    await Promise.all(
      instances.flatMap((config) =>
        records.map((record) =>
          limit(async () => {
            const number = record.numbers[0]?.phoneNumber;
            await tenantSigner(config, record.sid, now);
            const account = await webhookAccountOf(config, record.sid, now);
            if (!account) throw new Error(`${record.sid} is not known`);
            const policy = await voicePolicyOf(config, account, 'new-calls', number, now);
            if (!policy?.inboundRouting[number ?? '']) throw new Error(`no routing for ${record.sid}`);
            hotRequests += 2;
            // The refreshes these requests started run beside them, as on an instance; awaited here
            // only so that a simulated second stays within the machine's means.
            await refreshesSettled();
          }),
        ),
      ),
    );
    const counts = new Map<string, number>();
    for (const request of sandbox.log.slice(logStart)) {
      const object = request.method === 'GET' ? syncObjectOf(request.path) : undefined;
      if (object) counts.set(object, (counts.get(object) ?? 0) + 1);
    }
    perSecond.push(counts);
  }

  let peakPerSecond = 0;
  let peakPerSecondOver10s = 0;
  let busiestObject = '';
  const objects = new Set(perSecond.flatMap((counts) => [...counts.keys()]));
  for (const object of objects) {
    const series = perSecond.map((counts) => counts.get(object) ?? 0);
    for (const [second, reads] of series.entries()) {
      const window = series.slice(Math.max(0, second - 9), second + 1).reduce((a, b) => a + b, 0) / 10;
      if (reads > peakPerSecond) {
        peakPerSecond = reads;
        busiestObject = object;
      }
      peakPerSecondOver10s = Math.max(peakPerSecondOver10s, window);
    }
  }
  const syncReads = perSecond.reduce(
    (sum, counts) => sum + [...counts.values()].reduce((a, b) => a + b, 0),
    0,
  );
  const sharedObjectReads = perSecond.reduce(
    (sum, counts) =>
      sum +
      [...counts]
        .filter(([object]) => !object.startsWith('Maps/subaccount-AC'))
        .reduce((a, [, n]) => a + n, 0),
    0,
  );
  return { peakPerSecond, peakPerSecondOver10s, busiestObject, syncReads, sharedObjectReads, hotRequests };
}
