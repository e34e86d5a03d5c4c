import type { ServiceConfig } from '../config/config';
import type { AccountItem, NumberItem } from '../registry/schema';
import {
  cachedNumber,
  cachedTenant,
  settledNumber,
  settledTenant,
  type CachedTenant,
} from '../registry/tenant-cache';
import type { SubaccountStatus } from '../registry/types';
import { isE164, isSid } from '../vocabulary';
import { callingPolicyOf } from './calling-policy';
import type { CallingPolicy } from './destination-guard';

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

/**
 * The policy of the account a webhook claims to come from, or undefined when we do not serve it: not
 * our main account, not in the registry, or in a status the webhook does not admit. `number` is the
 * one number of the account the call is about (the called number, or a caller ID asked for): its item
 * is read beside the `account` item, so a cold request is still one round trip. Warm: no REST call.
 */
export async function voicePolicyOf(
  config: ServiceConfig,
  accountSid: string,
  admission: Admission,
  number?: string,
  now = Date.now(),
): Promise<VoicePolicy | undefined> {
  if (accountSid === config.accountSid) return mainAccountPolicy(config.accountSid);
  if (!isSid('AC', accountSid)) return undefined;
  const lookup = number !== undefined && isE164(number) ? number : undefined;
  const [tenant, item] = await Promise.all([
    cachedTenant(config, accountSid, now),
    lookup ? cachedNumber(config, accountSid, lookup, now) : null,
  ]);
  return admittedPolicy(tenant, admission, lookup, item);
}

/**
 * `voicePolicyOf` from what is already cached, without waiting: `{ policy }` when the answer is known
 * (the main account, or settled registry reads), undefined when `voicePolicyOf` must read the registry.
 */
export function cachedVoicePolicy(
  config: ServiceConfig,
  accountSid: string,
  admission: Admission,
  number?: string,
): { policy: VoicePolicy | undefined } | undefined {
  if (accountSid === config.accountSid) return { policy: mainAccountPolicy(config.accountSid) };
  const settled = settledTenant(config, accountSid);
  if (!settled) return undefined;
  const lookup = number !== undefined && isE164(number) ? number : undefined;
  if (!lookup) return { policy: admittedPolicy(settled.tenant, admission, undefined, null) };
  const item = settledNumber(config, accountSid, lookup);
  return item && { policy: admittedPolicy(settled.tenant, admission, lookup, item.number) };
}

function admittedPolicy(
  tenant: CachedTenant | undefined,
  admission: Admission,
  number: string | undefined,
  item: NumberItem | null,
): VoicePolicy | undefined {
  if (!tenant || !ADMITTED[admission].includes(tenant.account.status)) return undefined;
  // A record not yet migrated holds its numbers itself (no number items to read).
  const held = tenant.legacyNumbers
    ? (tenant.legacyNumbers.find((legacy) => legacy.phoneNumber === number) ?? null)
    : item;
  return policyOf(tenant.account, held);
}

// Derived once per cached registry read (and number read): warm requests reuse it.
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
