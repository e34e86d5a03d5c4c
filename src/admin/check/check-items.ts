import { z } from 'zod';
import { ServiceError } from '../../errors/service-error';
import {
  RegistryIntegrity,
  type ItemFinding,
  type SummarySeal,
  type SweepOptions,
} from '../../registry/item-integrity';
import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';
import { flag } from '../parameters';

/** `check`'s parameters about registry items' seals (docs/registry-integrity.md). */
export const itemParameters = {
  /**
   * Sign registry items that carry no MAC at all: once, on the first deploy of signed items. Refused
   * (409 `registry_already_signed`) once a sweep with it has reached the registry's end.
   */
  migrateUnsigned: flag.default(false),
  /** One item (`map/key`) to re-sign after an operator inspected it; `confirm` must repeat it. */
  resealItem: z.string().min(1).max(400).optional(),
  confirm: z.string().max(400).optional(),
};

/** The `resealItem` rule: named twice, and of the one subaccount checked. */
export function itemParametersRule(
  value: { resealItem?: string; confirm?: string; subaccountSid?: string },
  check: z.RefinementCtx,
): void {
  if (value.resealItem === undefined) return;
  if (value.confirm !== value.resealItem) {
    check.addIssue({
      code: 'custom',
      path: ['confirm'],
      message: 'must repeat resealItem: re-signing makes the service trust what the item holds',
    });
  }
  if (value.subaccountSid === undefined) {
    check.addIssue({ code: 'custom', path: ['subaccountSid'], message: 'is required with resealItem' });
  }
}

export function registryIntegrity(deps: AdminDeps): RegistryIntegrity {
  return new RegistryIntegrity(deps.clients.main, deps.config.syncServiceSid, deps.config.registryKeys);
}

/**
 * A subaccount's record as `check` reads it: its items' seals are swept first (findings, re-sealing
 * what the options allow) when `sweep` (a single check, or a page with `repair` or `migrateUnsigned`:
 * one more listing of the subaccount's Map, which a page without them saves); a record that is refused
 * (an item that does not verify or parse) is a finding naming the item, and no record, so a sweep goes
 * on.
 */
export async function readForCheck(
  deps: AdminDeps,
  sid: string,
  summary: SummarySeal & { item?: StoredItem<object> },
  options: SweepOptions & { sweep?: boolean },
): Promise<{ stored?: StoredItem<SubaccountRecord>; findings: ItemFinding[] }> {
  const integrity = registryIntegrity(deps);
  const sweep = options.sweep ?? (options.repair || options.migrateUnsigned);
  const findings = sweep ? await integrity.sweep(sid, summary, options) : [];
  // A summary the sweep may just have re-sealed is read again; otherwise the page's copy stands.
  const known = findings.some((finding) => finding.repaired) ? undefined : summary.item;
  try {
    return { stored: await deps.registry.get(sid, known), findings };
  } catch (error) {
    if (!(error instanceof ServiceError && error.code === 'registry_item_invalid')) throw error;
    const item = typeof error.details?.item === 'string' ? error.details.item : sid;
    const known = findings.some((finding) => finding.item === item && !finding.repaired);
    return {
      findings: known
        ? findings
        : [...findings, { code: 'registry_item_invalid', item, message: error.message }],
    };
  }
}
