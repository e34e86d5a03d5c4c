/**
 * What `check` does about the seals of registry items (item-seal.ts), one subaccount at a time: it
 * names every item that does not verify, re-seals under the newest REGISTRY_ENCRYPTION_KEY the items
 * (and the secrets inside them) sealed under an older listed key, and, only when told, signs items
 * that carry no seal at all or re-signs one named item an operator has inspected. docs/registry-integrity.md
 * says when each applies.
 *
 * What is never automatic: an item whose MAC fails or names an unknown key is somebody's write the
 * service did not make; signing it would launder it. It is reported, and only re-signed one item at a
 * time, named twice (`resealItem` and `confirm`), after an operator looked at it.
 */
import type { Twilio } from 'twilio';
import type { KeyRing } from '../config/key-ring';
import { conflict, ServiceError } from '../errors/service-error';
import { describeFault, nextVersion, type SealFault } from './item-seal';
import { ACCOUNT_ITEM, authTokenBinding, DIRECTORY_MAP, secretBinding, tenantMapName } from './layout';
import { resealSecret, sealedUnderNewest } from './secret-box';
import { SyncMapStore, type InspectedItem } from './sync-map-store';
import type { EncryptedSecret } from './types';

/** One finding about an item, as `check` reports it. */
export interface ItemFinding {
  code: 'registry_item_invalid' | 'registry_key_outdated';
  /** `map/key` */
  item: string;
  message: string;
  /** Set when this call re-sealed it. */
  repaired?: boolean;
}

export interface SweepOptions {
  /** Re-seal items (and secrets) sealed under an older listed key. */
  repair: boolean;
  /** Sign items that carry no seal at all (the first deploy of signed items only; see `migrationOpen`). */
  migrateUnsigned: boolean;
}

/** How a directory summary verified when its page was read (so the sweep does not read it again). */
export interface SummarySeal {
  kid?: string;
  fault?: SealFault;
}

/** Sync's largest page of Map items. */
const SYNC_PAGE_SIZE = 100;
/** The Map and item recording that every item has been signed once: unsigned items are never signed again. */
const INTEGRITY_MAP = 'registry-integrity';
const MIGRATED_ITEM = 'unsigned-migrated';

export class RegistryIntegrity {
  constructor(
    private readonly twilio: () => Twilio,
    private readonly serviceSid: string,
    private readonly keys: KeyRing<Buffer>,
  ) {}

  private store(map: string): SyncMapStore<object> {
    return new SyncMapStore<object>(this.twilio, this.serviceSid, map, this.keys);
  }

  /**
   * The subaccount's items, each verified: findings for those that do not verify or are sealed under an
   * older key, re-sealed as `options` allows. Reads its own Map (one request per 100 items); writes
   * one request per item re-sealed, on that Map (Sync's 20 writes/s per object: a tenant holds a few
   * items, and a sweep takes SWEEP_SUBACCOUNTS_AT_ONCE of them at once). The directory summary is
   * written only when it needs re-sealing, which a rotation or a migration does once.
   */
  async sweep(sid: string, summary: SummarySeal, options: SweepOptions): Promise<ItemFinding[]> {
    const findings: ItemFinding[] = [];
    const directory = this.store(DIRECTORY_MAP);
    const summaryFinding = this.judge(directory, { key: sid, revision: '', data: {}, ...summary }, options);
    if (summaryFinding) {
      if (summaryFinding.repaired) {
        const held = await directory.inspect(sid);
        if (held) await this.rewrite(directory, held, sid);
      }
      findings.push(summaryFinding);
    }
    const tenant = this.store(tenantMapName(sid));
    let after: string | undefined;
    for (;;) {
      const page = await tenant.inspectAfter(after, SYNC_PAGE_SIZE);
      for (const item of page.items) {
        const finding = this.judge(tenant, item, options, sid);
        if (!finding) continue;
        if (finding.repaired) await this.rewrite(tenant, item, sid);
        findings.push(finding);
      }
      after = page.items.at(-1)?.key;
      if (!page.more || after === undefined) return findings;
    }
  }

  /**
   * Re-signs one item an operator has inspected (and fixed, or found to be the service's own write
   * cut short), named `map/key`: the subaccount's summary or an item of its Map. Its content is then
   * read as any item is, so one that does not parse is still refused.
   */
  async resealOne(sid: string, item: string): Promise<void> {
    const tenantMap = tenantMapName(sid);
    const [map, key] =
      item === `${DIRECTORY_MAP}/${sid}`
        ? [DIRECTORY_MAP, sid]
        : item.startsWith(`${tenantMap}/`)
          ? [tenantMap, item.slice(tenantMap.length + 1)]
          : [];
    if (!map || !key) {
      throw new ServiceError(
        400,
        'invalid_parameter',
        `resealItem: must name ${DIRECTORY_MAP}/${sid} or an item of ${tenantMap}`,
        { parameter: 'resealItem' },
      );
    }
    const store = this.store(map);
    const held = await store.inspect(key);
    if (!held) throw new ServiceError(404, 'not_found', `There is no item ${item}.`);
    await this.rewrite(store, held, sid);
  }

  /** True until a sweep with `migrateUnsigned` has reached the registry's end once. */
  async migrationOpen(): Promise<boolean> {
    return (await this.store(INTEGRITY_MAP).inspect(MIGRATED_ITEM)) === undefined;
  }

  /** Refuses `migrateUnsigned` once the registry has been migrated (409 `registry_already_signed`). */
  async requireMigrationOpen(): Promise<void> {
    if (!(await this.migrationOpen())) {
      throw conflict(
        'registry_already_signed',
        "Every registry item was signed by an earlier migrateUnsigned sweep: an unsigned item now is not the service's write, and is never signed automatically (resealItem signs one an operator has inspected).",
      );
    }
  }

  /** Records that the whole registry was swept with `migrateUnsigned`: no unsigned item is signed again. */
  async closeMigration(now: Date): Promise<void> {
    await this.store(INTEGRITY_MAP)
      .create(MIGRATED_ITEM, { at: now.toISOString() })
      .catch((error: unknown) => {
        if (!(error instanceof ServiceError && error.code === 'item_exists')) throw error;
      });
  }

  /** What is wrong with an item, and whether `options` let this sweep re-seal it. */
  private judge(
    store: SyncMapStore<object>,
    item: InspectedItem | (SummarySeal & { key: string; revision: string; data: object }),
    options: SweepOptions,
    sid?: string,
  ): ItemFinding | undefined {
    const name = store.nameOf(item.key);
    if (item.fault) {
      const migrate = item.fault === 'unsigned' && options.migrateUnsigned;
      return {
        code: 'registry_item_invalid',
        item: name,
        message: `Registry item ${name} is refused: ${describeFault(item.fault)}.${migrate ? ' Signed by migrateUnsigned.' : ''}`,
        ...(migrate ? { repaired: true } : {}),
      };
    }
    const oldKey = item.kid !== undefined && item.kid !== this.keys[0].id;
    const oldSecrets =
      sid !== undefined &&
      item.key === ACCOUNT_ITEM &&
      secretsOf(item.data).some((s) => !sealedUnderNewest(this.keys, s));
    if (!oldKey && !oldSecrets) return undefined;
    return {
      code: 'registry_key_outdated',
      item: name,
      message: `Registry item ${name} is sealed under an older REGISTRY_ENCRYPTION_KEY; repair re-seals it under the newest.`,
      ...(options.repair ? { repaired: true } : {}),
    };
  }

  /** Writes the item back sealed under the newest key (its secrets too), revision-checked. */
  private async rewrite(store: SyncMapStore<object>, item: InspectedItem, sid: string): Promise<void> {
    const data = item.key === ACCOUNT_ITEM ? this.withNewestSecrets(sid, item.data) : item.data;
    await store.replace(item.key, item.revision, data, {
      after: [item.version],
      version: nextVersion(Date.now(), item.version),
    });
  }

  private withNewestSecrets(sid: string, data: object): object {
    const account = data as Record<string, unknown>;
    const bound = secretBinding(sid);
    const fresh = (secret: EncryptedSecret, binding: string) =>
      sealedUnderNewest(this.keys, secret) ? secret : resealSecret(this.keys, secret, binding);
    const withSecret = (ref: unknown) => (isRef(ref) ? { ...ref, secret: fresh(ref.secret, bound) } : ref);
    return {
      ...account,
      ...(isRef(account.apiKey) ? { apiKey: withSecret(account.apiKey) } : {}),
      ...(Array.isArray(account.retiringApiKeys)
        ? { retiringApiKeys: account.retiringApiKeys.map(withSecret) }
        : {}),
      ...(isSecret(account.authToken) ? { authToken: fresh(account.authToken, authTokenBinding(sid)) } : {}),
    };
  }
}

/** Every encrypted secret an `account` item holds (its key, its replaced keys, its auth token copy). */
function secretsOf(data: object): EncryptedSecret[] {
  const account = data as Record<string, unknown>;
  const refs = [account.apiKey, ...(Array.isArray(account.retiringApiKeys) ? account.retiringApiKeys : [])];
  return [
    ...refs.filter(isRef).map((ref) => ref.secret),
    ...(isSecret(account.authToken) ? [account.authToken] : []),
  ];
}

function isRef(value: unknown): value is { secret: EncryptedSecret } {
  return typeof value === 'object' && value !== null && isSecret((value as { secret?: unknown }).secret);
}

function isSecret(value: unknown): value is EncryptedSecret {
  return typeof value === 'object' && value !== null && (value as { alg?: unknown }).alg === 'A256GCM';
}
