/**
 * What each step of `create` (create.ts) runs: the state it needs in, the fields it gives out. The work
 * itself is in parts.ts (Twilio) and registry-steps.ts (Sync).
 */
import type { CreatePlan, CreateState } from './plan';
import { ensureNumberAddress } from './address-copy';
import {
  ensureAccount,
  ensureApiKey,
  ensureMessagingService,
  ensureNumber,
  ensureVoiceApp,
  findVoiceApp,
  joinMessagingService,
  pointNumberAt,
  renameAccount,
} from './parts';

type In<K extends keyof CreateState> = Readonly<Pick<CreateState, K> & Partial<CreateState>>;

export async function account(plan: CreatePlan) {
  const made = await ensureAccount(plan);
  return { account: made, registration: plan.deps.registry.registration(made.sid, plan.found) };
}

/** The SID in the key's record: from here on a retry finds the subaccount by it, not by its name. */
export async function recordSid(plan: CreatePlan, { account }: In<'account'>) {
  await plan.keyRecord.save({ accountSid: account.sid });
  return { sidRecorded: true as const };
}

export async function tenantMap(_plan: CreatePlan, { registration }: In<'registration'>) {
  await registration.createMap();
  return { tenantMap: true as const };
}

export const apiKey = async (plan: CreatePlan, { account }: In<'account'>) => ({
  apiKey: await ensureApiKey(plan.deps, account.sid, plan.resumed),
});

/** A retry looks for the App an earlier attempt made (the subaccount is new: an App by that name is ours). */
export const twimlApp = async (plan: CreatePlan, { account }: In<'account'>) => ({
  twimlAppSid: await ensureVoiceApp(
    plan.deps,
    account.sid,
    plan.resumed ? await findVoiceApp(plan.deps, account.sid) : undefined,
  ),
});

export const messagingService = async (plan: CreatePlan, { account }: In<'account'>) => ({
  messagingServiceSid: await ensureMessagingService(plan, account),
});

export const address = async (plan: CreatePlan, { account }: In<'account'>) => ({
  numberAddressSid: await ensureNumberAddress(plan, account.sid),
});

/** The subaccount's own operation record: from here on no other lifecycle change runs on it. */
export const lock = async (plan: CreatePlan, { account }: In<'account'>) => ({
  lock: await plan.deps.operations.take({ subaccountSid: account.sid }, plan.claim, undefined),
});

export const number = async (
  plan: CreatePlan,
  state: In<'account' | 'twimlAppSid' | 'numberAddressSid'>,
) => ({
  number: await ensureNumber(plan, state.account.sid, state.twimlAppSid, state.numberAddressSid),
});

export async function rename(plan: CreatePlan, { account }: In<'account'>) {
  await renameAccount(plan.deps, account.sid, plan.parameters.friendlyName);
  return { renamed: true as const };
}

export async function point(plan: CreatePlan, state: In<'account' | 'number' | 'twimlAppSid'>) {
  if (state.number) await pointNumberAt(plan.deps, state.account.sid, state.number, state.twimlAppSid);
  return { pointed: true as const };
}

export async function join(plan: CreatePlan, state: In<'account' | 'number' | 'messagingServiceSid'>) {
  await joinMessagingService(plan.deps, state.account, state.messagingServiceSid, state.number);
  return { joined: true as const };
}
