import type { ServiceConfig } from '../config/config';
import type { Cached } from '../cache/shared-cache';
import { isKnownTenant, mayReadBeforeListing } from '../registry/known-tenants';
import type { AccountItem, NumberItem } from '../registry/schema';
import type { TenantAccount } from '../registry/subaccount-registry';
import { cachedNumber, cachedTenant, peekNumber, peekTenant } from '../registry/tenant-cache';
import type { SubaccountStatus } from '../registry/types';
import { isE164, isSid } from '../vocabulary';
import { callingPolicyOf } from '../toll-fraud/calling-policy';
import type { CallingPolicy } from '../toll-fraud/destination-guard';

/** What the voice webhooks need to know about the account a call belongs to; plain data. */
export interface VoicePolicy {
  accountSid: string;
  /**
   * Of the numbers the account owns (E.164), the one this request is about when it owns it: the only
   * caller IDs its browser clients may use are numbers it owns.
   */
  numbers: readonly string[];
  /** Default caller ID of outgoing browser calls. */
  callerId: string | null;
  /** E.164 number → identities that ring when it is called (for the number this request is about). */
  inboundRouting: Readonly<Record<string, readonly string[]>>;
  recording: boolean;
  /** Countries and number types outgoing calls may reach (the toll-fraud guard, destination-guard.ts). */
  callingPolicy: CallingPolicy;
  voicemail: boolean;
  /** A connected account (the customer's own): its token is the one its owner handed over. */
  connected: boolean;
  /** A connected account whose token Twilio refuses: calls are refused until update-credentials. */
  credentialsRejected: boolean;
}

/**
 * Which registry statuses a webhook serves. A new call needs an active subaccount; callbacks of a
 * call already under way (Dial outcome, recordings) are still served once it is suspended, since
 * suspending a subaccount does not end its calls in progress.
 */
export type Admission = 'new-calls' | 'calls-in-progress';

const ADMITTED: Record<Admission, readonly SubaccountStatus[]> = {
  'new-calls': ['active'],
  'calls-in-progress': ['active', 'suspended'],
};

/** The account a webhook names, as far as its signature needs it. */
export type WebhookAccount =
  | { kind: 'main' }
  /** One of our tenants: its `account` item as held. */
  | { kind: 'tenant'; tenant: Cached<TenantAccount | undefined> };

/**
 * The one read a webhook's signature needs, and no other: the main account needs none; a tenant its
 * `account` item (cached and shared, tenant-cache.ts), which holds the copy of its auth token; a SID that
 * is not ours (known-tenants.ts) none at all, and answers undefined, as for a tenant without an
`account` item (a create not finished: nothing to check a signature with). Without a promise when the answer
 * is held (every warm request).
 */
export function webhookAccountOf(
  config: ServiceConfig,
  accountSid: string,
  now = Date.now(),
  /** Called when a read of the tenant's item starts (voice-webhook.ts `whileReading`). */
  whileReading?: () => void,
): WebhookAccount | undefined | Promise<WebhookAccount | undefined> {
  if (accountSid === config.accountSid) return MAIN;
  if (!isSid('AC', accountSid)) return undefined;
  const held = peekTenant(config, accountSid, now);
  if (held) return held.value && { kind: 'tenant', tenant: held };
  const read = () => {
    const reading = cachedTenant(config, accountSid, now);
    whileReading?.();
    return reading;
  };
  const tenantOf = (value: TenantAccount | undefined): WebhookAccount | undefined =>
    value && { kind: 'tenant', tenant: peekTenant(config, accountSid) ?? { value, readAt: now } };
  if (mayReadBeforeListing(config)) {
    const early = read();
    return (async () => {
      const found = await early.catch(() => undefined);
      // An `account` item found is the tenant's own: this answer waits for no listing.
      if (found) return tenantOf(found);
      return (await isKnownTenant(config, accountSid)) ? tenantOf(await read()) : undefined;
    })();
  }
  const known = isKnownTenant(config, accountSid);
  if (typeof known === 'boolean') return known ? read().then(tenantOf) : undefined;
  return known.then(async (ours) => (ours ? tenantOf(await read()) : undefined));
}

const MAIN: WebhookAccount = { kind: 'main' };

/**
 * The policy of a verified webhook's account, or undefined when we do not serve it: a tenant without
 * an `account` item, or in a status the webhook does not admit. `number` is the one number of the
 * account the call is about (the called number, or a caller ID asked for): its item is read only now,
 * after the signature verified, so a forged request reads no number. Without a promise when held.
 */
export function voicePolicyOf(
  config: ServiceConfig,
  account: WebhookAccount,
  admission: Admission,
  number?: string,
  now = Date.now(),
): VoicePolicy | undefined | Promise<VoicePolicy | undefined> {
  if (account.kind === 'main') return mainAccountPolicy(config.accountSid);
  const tenant = account.tenant.value;
  if (!tenant || !ADMITTED[admission].includes(tenant.account.status)) return undefined;
  const lookup = number !== undefined && isE164(number) ? number : undefined;
  if (!lookup) return policyOf(tenant.account, null);
  const held = peekNumber(config, tenant.account.sid, lookup, now);
  if (held) return policyOf(tenant.account, held.value);
  return cachedNumber(config, tenant.account.sid, lookup, now).then((item) => policyOf(tenant.account, item));
}

// Derived once per registry read (and number read): warm requests reuse it. Not a cache of reads (those
// are tenant-cache.ts's): a memo of what one read object implies, dropped with that object.
const NO_NUMBER = {};
const policies = new WeakMap<AccountItem, WeakMap<object, VoicePolicy>>();

function policyOf(account: AccountItem, number: NumberItem | null): VoicePolicy {
  let byNumber = policies.get(account);
  if (!byNumber) {
    byNumber = new WeakMap();
    policies.set(account, byNumber);
  }
  let policy = byNumber.get(number ?? NO_NUMBER);
  if (!policy) {
    policy = derivePolicy(account, number);
    byNumber.set(number ?? NO_NUMBER, policy);
  }
  return policy;
}

/**
 * The policy holds the one number the request is about, not all of them: `numbers` tells whether the
 * account owns it, `inboundRouting` who it rings.
 */
function derivePolicy(account: AccountItem, number: NumberItem | null): VoicePolicy {
  return {
    accountSid: account.sid,
    numbers: number ? [number.phoneNumber] : [],
    callerId: account.callerId,
    inboundRouting: number?.identities ? { [number.phoneNumber]: number.identities } : {},
    recording: account.recording === true,
    callingPolicy: callingPolicyOf(account),
    voicemail: account.voicemail !== false,
    connected: account.kind === 'connected',
    credentialsRejected: Boolean(account.connection?.credentialsRejected),
  };
}

const MAIN_ACCOUNT_CALLING = callingPolicyOf({ callerId: null });

/**
 * The main account has no registry item: its browser clients may call each other, but it has no
 * registered number to call out from or to route, so calls to numbers are refused with a reason.
 */
function mainAccountPolicy(accountSid: string): VoicePolicy {
  return {
    accountSid,
    numbers: [],
    callerId: null,
    inboundRouting: {},
    recording: false,
    callingPolicy: MAIN_ACCOUNT_CALLING,
    voicemail: false,
    connected: false,
    credentialsRejected: false,
  };
}
