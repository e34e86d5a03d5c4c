/**
 * What the steps of `adopt` work from (AdoptPlan, fixed once the subaccount is read and held) and what
 * they give (AdoptState, filled in step by step: operations/steps.ts), and the answer a dry run gives.
 */
import type { StoredItem } from '../../../registry/sync-map-store';
import type { ApiKeyRef, SubaccountRecord } from '../../../registry/types';
import type { Adoption } from '../../answers';
import type { AdminDeps } from '../../deps';
import type { TimeBudget } from '../../../twilio/time-budget';
import { subaccountView } from '../subaccount-view';
import type { LiveNumber, LiveSubaccount } from './live';

export interface AdoptOptions {
  /** Leave every number's voice configuration as it is (it then rings its old Voice URL or App). */
  keepNumberConfig: boolean;
  /** Answer what would change, and change nothing. */
  dryRun: boolean;
}

export interface AdoptPlan {
  deps: AdminDeps;
  sid: string;
  live: LiveSubaccount;
  /** What this call is to do, as a dry run answers it; the steps fill in what they made. */
  planned: Adoption;
  budget: TimeBudget;
}

export interface AdoptState {
  /** The subaccount's Standard API key: made, or the registry's (null: a drift `check` repairs). */
  apiKey: ApiKeyRef | null;
  /** Its TwiML App: made, reused, or the registry's. */
  twimlAppSid: string | null;
  /** Its registry item, `active`: written by this call, or there before it. */
  registered: StoredItem<SubaccountRecord>;
  /** The numbers this call pointed at the App; those the time budget left are for a next call. */
  pointed: string[];
}

/** What adopt would do, as a dry run answers it. */
export function plannedAdoption(
  sid: string,
  live: LiveSubaccount,
  item: StoredItem<SubaccountRecord> | undefined,
  options: AdoptOptions,
): Adoption {
  const reusableApp = live.reusableApp?.sid;
  return {
    subaccountSid: sid,
    friendlyName: item?.data.friendlyName ?? live.friendlyName,
    dryRun: options.dryRun,
    replayed: false,
    alreadyManaged: item !== undefined,
    apiKey: item ? { action: 'none', sid: item.data.apiKey?.sid ?? null } : { action: 'create', sid: null },
    twimlApp: item
      ? { action: 'none', sid: item.data.twimlAppSid }
      : reusableApp
        ? { action: 'reuse', sid: reusableApp }
        : { action: 'create', sid: null },
    numbers: live.numbers.map((number) => ({
      sid: number.sid,
      phoneNumber: number.phoneNumber,
      before: { voiceApplicationSid: number.voiceApplicationSid, voiceUrl: number.voiceUrl },
      action: numberAction(number, options, item ? item.data.twimlAppSid : reusableApp),
      pointed: false,
    })),
    numbersRemaining: 0,
    subaccount: item ? subaccountView(item) : null,
  };
}

/**
 * What adopt does to a number. `appSid` is the App it is to ring: undefined when this call makes it,
 * null when the registry item has none (a drift `check` with `repair` fixes, so the number is kept).
 */
function numberAction(
  number: LiveNumber,
  options: AdoptOptions,
  appSid: string | null | undefined,
): Adoption['numbers'][number]['action'] {
  if (options.keepNumberConfig || !number.voice || appSid === null) return 'keep';
  return appSid !== undefined && number.voiceApplicationSid === appSid ? 'none' : 'point';
}

/** The answer once the steps are done: what was planned, with what was made and pointed. */
export function adoptionDone(
  planned: Adoption,
  registered: StoredItem<SubaccountRecord>,
  pointed: readonly string[],
): Adoption {
  const done = new Set(pointed);
  const toPoint = planned.numbers.filter((number) => number.action === 'point');
  return {
    ...planned,
    apiKey: { action: planned.apiKey.action, sid: registered.data.apiKey?.sid ?? null },
    twimlApp: { action: planned.twimlApp.action, sid: registered.data.twimlAppSid },
    numbers: planned.numbers.map((number) => ({ ...number, pointed: done.has(number.sid) })),
    numbersRemaining: toPoint.filter((number) => !done.has(number.sid)).length,
    subaccount: subaccountView(registered),
  };
}
