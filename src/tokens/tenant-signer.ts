import { createSecretKey, type KeyObject } from 'node:crypto';
import type { ServiceConfig } from '../config/config';
import { cacheScope } from '../cache/cache-scope';
import { sharedCache } from '../cache/shared-cache';
import { ServiceError, forbidden } from '../errors/service-error';
import { secretBinding } from '../registry/layout';
import { decryptSecret } from '../registry/secret-box';
import { cachedTenant } from '../registry/tenant-cache';
import { callingPolicyOf } from '../toll-fraud/calling-policy';
import { credentialsRejected } from '../connected/own-credentials';
import type { CallingPolicy } from '../toll-fraud/destination-guard';

/** What signing a token for a subaccount needs, read from its registry item (derived once per revision). */
export interface TenantSigner {
  accountSid: string;
  keySid: string;
  signingKey: KeyObject;
  applicationSid: string;
  /** The subaccount's toll-fraud guard, which /token hands to the page so it can refuse before dialling. */
  callingPolicy: CallingPolicy;
}

/** Entries kept before the oldest are dropped: one per tenant, so about the registry's size. */
const MAX_SIGNERS = 10_000;
const NEVER_STALE = { freshMs: Number.POSITIVE_INFINITY, maxAgeMs: Number.POSITIVE_INFINITY };

// Decrypted signing keys per subaccount, each valid for one revision of its `account` item, in the
// process-wide cache: a warm request neither decrypts nor reads the registry in any function of the
// instance, and a rotated key (a new revision) is picked up with the tenant. Nothing is loaded here
// (the read is the tenant cache's), so the entries never go stale: a new revision replaces them.
const signersOf = (config: ServiceConfig) =>
  sharedCache<{ revision: string; signer: TenantSigner }>(`tenant.signer:${cacheScope(config)}`, {
    lifetime: () => NEVER_STALE,
    failureMs: () => 0,
    refreshRetryMs: 0,
    maxEntries: MAX_SIGNERS,
  });

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
  if (record.connection?.credentialsRejected) throw credentialsRejected(accountSid);
  const signers = signersOf(config);
  const cached = signers.peek(accountSid, now)?.value;
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
  signers.set(accountSid, { revision, signer }, now);
  return signer;
}

const REFUSALS: Record<string, { code: string; why: string }> = {
  provisioning: { code: 'subaccount_not_ready', why: 'is still being set up; calls are not allowed yet' },
  suspended: { code: 'subaccount_suspended', why: 'is suspended; calls are not allowed' },
  closed: { code: 'subaccount_closed', why: 'is closed' },
  deleted: { code: 'subaccount_closed', why: 'is closed, and Twilio has deleted it' },
  disconnected: { code: 'account_disconnected', why: 'is disconnected from this service' },
};

function notActive(accountSid: string, status: string): ServiceError {
  const refusal = REFUSALS[status] ?? { code: 'subaccount_not_active', why: 'is not active' };
  return forbidden(refusal.code, `Subaccount ${accountSid} ${refusal.why}.`);
}
