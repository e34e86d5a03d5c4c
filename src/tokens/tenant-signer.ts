import { createSecretKey, type KeyObject } from 'node:crypto';
import type { ServiceConfig } from '../config/config';
import { perConfig } from '../config/per-config';
import { ServiceError, forbidden } from '../errors/service-error';
import { secretBinding } from '../registry/layout';
import { decryptSecret } from '../registry/secret-box';
import { cachedTenant } from '../registry/tenant-cache';
import { callingPolicyOf } from '../voice/calling-policy';
import type { CallingPolicy } from '../voice/destination-guard';

/** What signing a token for a subaccount needs, read from its registry item (derived once per revision). */
export interface TenantSigner {
  accountSid: string;
  keySid: string;
  signingKey: KeyObject;
  applicationSid: string;
  /** The subaccount's toll-fraud guard, which /token hands to the page so it can refuse before dialling. */
  callingPolicy: CallingPolicy;
}

// Decrypted signing keys, per configuration and subaccount, valid for one registry revision: a warm
// request neither decrypts nor reads the registry, and a rotated key (a new revision) is picked up
// with the tenant.
const signerEntries = perConfig(() => new Map<string, { revision: string; signer: TenantSigner }>());

/**
 * The signing key and TwiML App of an active subaccount of ours, or a 403 a client can act on: the
 * subaccount is unknown to this service, or not active (still being created, suspended, closed, deleted).
 * A registry item that is not valid is refused (500 `registry_item_invalid`), and a throttled or
 * failed registry read is a 503/502: never a token signed from data the service cannot trust. A subaccount whose key or App is missing
 * (set-up interrupted) is a 409 for an operator: `check` and repair fix it.
 */
export async function tenantSigner(
  config: ServiceConfig,
  accountSid: string,
  now = Date.now(),
): Promise<TenantSigner> {
  const tenant = await cachedTenant(config, accountSid, now);
  if (!tenant) {
    throw forbidden('subaccount_unknown', `Subaccount ${accountSid} is not served by this service.`);
  }
  const { account: record, revision } = tenant;
  // Only an active subaccount gets tokens: any other status, known or not, is refused.
  if (record.status !== 'active') throw notActive(accountSid, record.status);
  const signers = signerEntries.of(config);
  const cached = signers.get(accountSid);
  if (cached?.revision === revision) return cached.signer;

  if (!record.apiKey || !record.twimlAppSid) {
    throw new ServiceError(
      409,
      'subaccount_not_ready',
      `Subaccount ${accountSid} has no ${record.apiKey ? 'TwiML App' : 'API key'} yet; run check and repair on it.`,
    );
  }
  const secret = decryptSecret(config.registryKeys, record.apiKey.secret, secretBinding(accountSid));
  const signer: TenantSigner = {
    accountSid,
    keySid: record.apiKey.sid,
    signingKey: createSecretKey(Buffer.from(secret, 'utf8')),
    applicationSid: record.twimlAppSid,
    callingPolicy: callingPolicyOf(record),
  };
  signers.set(accountSid, { revision, signer });
  return signer;
}

const REFUSALS: Record<string, { code: string; why: string }> = {
  provisioning: { code: 'subaccount_not_ready', why: 'is still being set up; calls are not allowed yet' },
  suspended: { code: 'subaccount_suspended', why: 'is suspended; calls are not allowed' },
  closed: { code: 'subaccount_closed', why: 'is closed' },
  deleted: { code: 'subaccount_closed', why: 'is closed, and Twilio has deleted it' },
};

function notActive(accountSid: string, status: string): ServiceError {
  const refusal = REFUSALS[status] ?? { code: 'subaccount_not_active', why: 'is not active' };
  return forbidden(refusal.code, `Subaccount ${accountSid} ${refusal.why}.`);
}
