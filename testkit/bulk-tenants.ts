/**
 * Many fully set-up tenants at once, for sweeps at scale: the first is provisioned through the
 * service's own clients (provision-tenant.ts), the rest are copies of it written straight into the
 * sandbox's state (subaccount, API key, TwiML App, one number on that App, and the registry's Sync
 * items with their own SIDs and freshly sealed secrets), which a thousand would otherwise take
 * thousands of requests to make. Each copy is in step with its registry item, as after a `create`.
 */
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../sandbox';
import { loadConfig } from '../src/config/config';
import { numberItemKey, secretBinding, tenantMapName } from '../src/registry/layout';
import { nextVersion, SEAL_FIELD, sealItem } from '../src/registry/item-seal';
import { encryptSecret } from '../src/registry/secret-box';
import { sealAuthToken } from '../src/registry/tenant-auth-token';
import { provisionTenant } from './provision-tenant';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const sidOf = (prefix: string) => `${prefix}${hex(16)}`;

/** Adds `count` tenants; answers their SIDs in the order made. */
export async function addTenantsInBulk(
  sandbox: Sandbox,
  env: Record<string, string>,
  count: number,
): Promise<string[]> {
  const config = loadConfig(env);
  const first = await provisionTenant(sandbox, env, { friendlyName: 'Bulk 0', authTokenInRegistry: true });
  const state = sandbox.state;
  const find = <T>(list: T[], test: (item: T) => boolean): T => {
    const found = list.find(test);
    if (!found) throw new Error('the first tenant is not in the sandbox as expected');
    return found;
  };
  const account = find(state.accounts, (candidate) => candidate.sid === first.sid);
  const key = find(state.keys, (candidate) => candidate.sid === first.apiKeySid);
  const app = find(state.applications, (candidate) => candidate.sid === first.twimlAppSid);
  const number = find(state.incomingPhoneNumbers, (candidate) => candidate.accountSid === first.sid);
  const map = find(state.syncMaps, (candidate) => candidate.uniqueName === tenantMapName(first.sid));
  const directory = find(state.syncMaps, (candidate) => candidate.uniqueName === 'subaccounts');
  const accountItem = find(state.syncMapItems, (item) => item.mapSid === map.sid && item.key === 'account');
  const numberItem = find(state.syncMapItems, (item) => item.mapSid === map.sid && item.key !== 'account');
  const summary = find(state.syncMapItems, (item) => item.mapSid === directory.sid && item.key === first.sid);

  const sids = [first.sid];
  const version = nextVersion(Date.now());
  for (let index = 1; index < count; index++) {
    const sid = sidOf('AC');
    const authToken = hex(16);
    const keySid = sidOf('SK');
    const keySecret = hex(16);
    const appSid = sidOf('AP');
    const numberSid = sidOf('PN');
    const phoneNumber = `+1415${String(2_000_000 + index).padStart(7, '0')}`;
    const friendlyName = `Bulk ${index}`;
    state.accounts.push({ ...account, sid, authToken, friendlyName });
    state.keys.push({ ...key, sid: keySid, accountSid: sid, secret: keySecret });
    state.applications.push({ ...app, sid: appSid, accountSid: sid });
    state.incomingPhoneNumbers.push({
      ...number,
      sid: numberSid,
      accountSid: sid,
      phoneNumber,
      voiceApplicationSid: appSid,
    });
    const mapSid = sidOf('MP');
    state.syncMaps.push({ ...map, sid: mapSid, uniqueName: tenantMapName(sid) });
    const apiKey = accountItem.data.apiKey as Record<string, unknown>;
    // Each copy signed for its own Map and key, as the service would have written it.
    // The template's own seal is left out: each copy gets its own.
    const signed = (
      mapName: string,
      itemKey: string,
      { [SEAL_FIELD]: _seal, ...data }: Record<string, unknown>,
    ) => sealItem(config.registryKeys, mapName, itemKey, data, version) as Record<string, unknown>;
    state.syncMapItems.push(
      {
        ...accountItem,
        mapSid,
        data: signed(tenantMapName(sid), 'account', {
          ...accountItem.data,
          sid,
          friendlyName,
          apiKey: {
            ...apiKey,
            sid: keySid,
            secret: encryptSecret(config.registryEncryptionKey, keySecret, secretBinding(sid)),
          },
          authToken: sealAuthToken(config.registryEncryptionKey, sid, authToken),
          twimlAppSid: appSid,
          callerId: phoneNumber,
        }),
      },
      {
        ...numberItem,
        mapSid,
        key: numberItemKey(phoneNumber),
        data: signed(tenantMapName(sid), numberItemKey(phoneNumber), {
          ...numberItem.data,
          sid: numberSid,
          phoneNumber,
        }),
      },
      {
        ...summary,
        key: sid,
        data: signed('subaccounts', sid, { ...summary.data, sid, friendlyName, accountVersion: version }),
      },
    );
    sids.push(sid);
  }
  sandbox.persist();
  return sids;
}
