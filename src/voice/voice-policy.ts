import type { ServiceConfig } from '../config/config';
import { cachedTenant, settledTenant, type CachedTenant } from '../registry/tenant-cache';
import { DEFAULT_ALLOWED_PREFIXES, type SubaccountRecord, type SubaccountStatus } from '../registry/types';
import { isSid } from '../vocabulary';

/** What the voice webhooks need to know about the account a call belongs to; plain data. */
export interface VoicePolicy {
  accountSid: string;
  /** Numbers the account owns (E.164): the only caller IDs its browser clients may use. */
  numbers: readonly string[];
  /** Default caller ID of outgoing browser calls. */
  callerId: string | null;
  /** E.164 number → identities that ring when it is called. */
  inboundRouting: Readonly<Record<string, readonly string[]>>;
  recording: boolean;
  /** E.164 prefixes outgoing calls may reach (the toll-fraud guard). */
  allowedPrefixes: readonly string[];
  voicemail: boolean;
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
 * our main account, not in the registry, or in a status the webhook does not admit. Warm: no REST call.
 */
export async function voicePolicyOf(
  config: ServiceConfig,
  accountSid: string,
  admission: Admission,
): Promise<VoicePolicy | undefined> {
  if (accountSid === config.accountSid) return mainAccountPolicy(config.accountSid);
  if (!isSid('AC', accountSid)) return undefined;
  return admittedPolicy(await cachedTenant(config, accountSid), admission);
}

/**
 * `voicePolicyOf` from what is already cached, without waiting: `{ policy }` when the answer is known
 * (the main account, or a settled registry read), undefined when `voicePolicyOf` must read the registry.
 */
export function cachedVoicePolicy(
  config: ServiceConfig,
  accountSid: string,
  admission: Admission,
): { policy: VoicePolicy | undefined } | undefined {
  if (accountSid === config.accountSid) return { policy: mainAccountPolicy(config.accountSid) };
  const settled = settledTenant(config, accountSid);
  return settled && { policy: admittedPolicy(settled.tenant, admission) };
}

function admittedPolicy(tenant: CachedTenant | undefined, admission: Admission): VoicePolicy | undefined {
  if (!tenant || !ADMITTED[admission].includes(tenant.record.status)) return undefined;
  return policyOf(tenant.record);
}

// Derived once per cached registry read: warm requests reuse it.
const policies = new WeakMap<SubaccountRecord, VoicePolicy>();

function policyOf(record: SubaccountRecord): VoicePolicy {
  let policy = policies.get(record);
  if (!policy) {
    policy = derivePolicy(record);
    policies.set(record, policy);
  }
  return policy;
}

function derivePolicy(record: SubaccountRecord): VoicePolicy {
  return {
    accountSid: record.sid,
    numbers: record.numbers.map((number) => number.phoneNumber),
    callerId: record.callerId,
    inboundRouting: record.inboundRouting ?? {},
    recording: record.recording === true,
    allowedPrefixes: record.allowedPrefixes ?? DEFAULT_ALLOWED_PREFIXES,
    voicemail: record.voicemail !== false,
  };
}

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
    allowedPrefixes: DEFAULT_ALLOWED_PREFIXES,
    voicemail: false,
  };
}
