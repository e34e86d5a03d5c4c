/**
 * What each step of adopt (adopt.ts) runs: the API key and the TwiML App are create's parts
 * (creation/parts.ts); the registry item and the numbers pointed at the App are adopt's own.
 */
import { conflict, isServiceError } from '../../../errors/service-error';
import { sealAuthToken } from '../../../registry/tenant-auth-token';
import { deleteApiKey } from '../../api-keys';
import { runBounded } from '../../../twilio/time-budget';
import { newSubaccountRecord } from '../creation/creation-record';
import { ensureApiKey, ensureVoiceApp, pointNumberAt } from '../creation/parts';
import type { AdoptPlan, AdoptState } from './plan';

type In<K extends keyof AdoptState> = Readonly<Pick<AdoptState, K> & Partial<AdoptState>>;

/**
 * A new key. The subaccount is not new, so keys an earlier attempt made and never recorded (named as
 * this service names its keys) are looked for and removed first: one list request.
 */
export const apiKey = async (plan: AdoptPlan) => ({ apiKey: await ensureApiKey(plan.deps, plan.sid, true) });

/** An App of this service already on /voice, aligned; otherwise a new one. */
export const twimlApp = async (plan: AdoptPlan) => ({
  twimlAppSid: await ensureVoiceApp(plan.deps, plan.sid, plan.live.reusableApp),
});

/**
 * The registry item, written once and complete (status `active`, its numbers, the first voice number as
 * caller ID, create's default settings). The subaccount's operation record is held, so no other change
 * registers it meanwhile: an item found there is this adopt's own write whose answer was lost (it names
 * this call's key), or one made in the instant between the read and the record being taken, which
 * stands (this call's key is removed) and the caller is told to call again.
 */
export async function register(plan: AdoptPlan, { apiKey, twimlAppSid }: In<'apiKey' | 'twimlAppSid'>) {
  const { deps, sid, live } = plan;
  const record = newSubaccountRecord(sid, live.friendlyName, deps.now(), {
    status: 'active',
    provisioning: null,
    authToken: sealAuthToken(deps.config.registryKeys, sid, live.authToken),
    apiKey,
    twimlAppSid,
    numbers: live.numbers.map(({ sid: numberSid, phoneNumber }) => ({ sid: numberSid, phoneNumber })),
    callerId: live.numbers.find((number) => number.voice)?.phoneNumber ?? null,
  });
  try {
    return { registered: await deps.registry.create(sid, record) };
  } catch (error) {
    if (!(isServiceError(error) && error.code === 'item_exists')) throw error;
    const found = await deps.registry.get(sid);
    if (found && found.data.apiKey?.sid === apiKey?.sid) return { registered: found };
    if (apiKey) await deleteApiKey(deps, sid, apiKey.sid).catch(() => undefined);
    throw conflict(
      'subaccount_busy',
      `${sid} was registered by another change meanwhile; call adopt again.`,
      {
        subaccountSid: sid,
      },
    );
  }
}

/**
 * Points the numbers the plan says to at the App, TWILIO_CONCURRENCY at a time while the time budget
 * lasts (10 s per Function); those left are answered in `numbersRemaining` for a next call.
 */
export async function pointNumbers(plan: AdoptPlan, { registered }: In<'registered'>) {
  const { deps, sid } = plan;
  const appSid = registered.data.twimlAppSid;
  if (!appSid) return { pointed: [] };
  const toPoint = plan.planned.numbers.filter((number) => number.action === 'point');
  const { results } = await runBounded(
    toPoint,
    async (number) => {
      await pointNumberAt(deps, sid, { ...number, voiceApplicationSid: null }, appSid);
      return number.sid;
    },
    plan.budget,
  );
  return { pointed: results };
}
