import { z } from 'zod';
import { conflict, invalidParameter } from '../../../errors/service-error';
import { emitSubaccountEvent } from '../../../events/subaccount-events';
import type { StoredItem } from '../../../registry/sync-map-store';
import type { SubaccountRecord } from '../../../registry/types';
import type { Adoption } from '../../answers';
import type { AdminDeps } from '../../deps';
import { withIdempotencyKey } from '../../idempotency';
import { runOperation, type OperationContext } from '../../operations/run-operation';
import type { HeldOperation } from '../../operations/store';
import { runSteps, step, StepFailed } from '../../operations/steps';
import { accountSid, cursor, flag, idempotencyKey, pageSize } from '../../parameters';
import { timeBudget, type TimeBudget } from '../../../twilio/time-budget';
import { readLive, type LiveSubaccount } from './live';
import { adoptionDone, plannedAdoption, type AdoptOptions, type AdoptPlan, type AdoptState } from './plan';
import * as run from './step-runs';

export type { AdoptOptions } from './plan';

export const adoptParameters = z.object({
  /** Without it, a page of the main account's active subaccounts that are not yet managed. */
  subaccountSid: accountSid.optional(),
  /** Leave every number's voice configuration as it is (it then rings its old Voice URL or App). */
  keepNumberConfig: flag.default(false),
  /** Answer what would change, and change nothing. */
  dryRun: flag.default(false),
  /**
   * With `subaccountSid`: a retry with it within 24 hours is answered as the first call was
   * (`replayed`), finishing what that call left. Without it, the same subaccount and options make
   * retries resume all the same, and a later call answers what the registry has (`alreadyManaged`).
   */
  idempotencyKey: idempotencyKey.optional(),
  /** Subaccounts per page (the page mode); each one is a few sequential round trips. */
  pageSize: pageSize.max(20, 'must be at most 20').default(5),
  cursor: cursor.optional(),
});

export type AdoptParameters = z.output<typeof adoptParameters>;

const s = step<AdoptState>();

/**
 * The steps of adopt (adoption/plan.ts says what each field is); the key and the App are create's own
 * parts, made at once. What a retry of an unfinished adopt resumes from: the key in its operation
 * record's progress (an earlier key whose secret is lost is removed, as create's retry does) and the
 * App it finds again on /voice, or, once registered, the registry item, after which only the numbers
 * are left.
 */
// prettier-ignore
const steps = (plan: AdoptPlan) => [
  s({ name: 'apiKey', needs: [], gives: ['apiKey'], run: () => run.apiKey(plan) }),
  s({ name: 'twimlApp', needs: [], gives: ['twimlAppSid'], run: () => run.twimlApp(plan) }),
  s({ name: 'registered', needs: ['apiKey', 'twimlAppSid'], gives: ['registered'], run: (state) => run.register(plan, state) }),
  s({ name: 'numbers', needs: ['registered'], gives: ['pointed'], run: (state) => run.pointNumbers(plan, state) }),
];

/**
 * Brings an existing subaccount of the main account under this service: a Standard API key, the
 * TwiML App on the shared /voice (an App of this service already there is reused), its voice numbers
 * pointed at that App unless `keepNumberConfig`, and a registry item (status `active`, its numbers, the
 * first voice number as caller ID, `create`'s default settings). The answer reports, number by number,
 * the Voice URL or App it had before. With `dryRun`, the same answer and no change.
 *
 * It runs as one lifecycle change on the subaccount's operation record (operations/run-operation.ts):
 * while another change of it runs, 409 `subaccount_busy`; a retry of one that failed resumes from what
 * it recorded. Without `idempotencyKey` the key is the subaccount's own (`adopt:<SID>`), so a plain
 * retry resumes too; a later call finds the registry item (`alreadyManaged`), makes nothing, and points
 * only numbers not on its App.
 *
 * Bounds (10 s per Function): the registry read and Twilio's (account, numbers in one page of 1,000,
 * App by name) at once; the record taken; key (after a list of keys) and App at once; the registry item
 * (two round trips); then the numbers, TWILIO_CONCURRENCY at a time while the time budget lasts, those
 * left over counted in `numbersRemaining` for a next call.
 */
export async function adoptSubaccount(
  deps: AdminDeps,
  sid: string,
  options: AdoptOptions & { idempotencyKey?: string | undefined },
  budget: TimeBudget = timeBudget(),
): Promise<Adoption> {
  if (sid === deps.config.accountSid)
    throw invalidParameter('subaccountSid', 'is the main account itself; give one of its subaccounts');
  if (options.dryRun) {
    const [live, item] = await Promise.all([readLive(deps, sid), deps.registry.get(sid)]);
    refuseProvisioning(sid, item);
    return plannedAdoption(sid, live, item, options);
  }
  const request = {
    operation: 'adopt',
    subjects: [sid],
    idempotencyKey: options.idempotencyKey ?? `adopt:${sid}`,
    payload: { sid, keepNumberConfig: options.keepNumberConfig },
    unregistered: true,
    alongside: () => readLive(deps, sid),
  };
  const adopt = (context: OperationContext) => adoptHeld(deps, sid, options, context, budget);
  const { value } = await runOperation(
    deps,
    request,
    adopt,
    options.idempotencyKey === undefined
      ? undefined
      : {
          keep: ({ alreadyManaged, apiKey, twimlApp }) => ({
            alreadyManaged,
            apiKey: apiKey.action,
            twimlApp: twimlApp.action,
          }),
          answer: async (kept, context) => replayed(await adopt(context), kept as Kept),
        },
  );
  return value;
}

interface Kept {
  alreadyManaged: boolean;
  apiKey: Adoption['apiKey']['action'];
  twimlApp: Adoption['twimlApp']['action'];
}

/** A retry with the key of a finished adopt: what that call made, the numbers as they are now. */
const replayed = (now: Adoption, kept: Kept): Adoption => ({
  ...now,
  replayed: true,
  alreadyManaged: kept.alreadyManaged,
  apiKey: { ...now.apiKey, action: kept.apiKey },
  twimlApp: { ...now.twimlApp, action: kept.twimlApp },
});

async function adoptHeld(
  deps: AdminDeps,
  sid: string,
  options: AdoptOptions,
  context: OperationContext,
  budget: TimeBudget,
): Promise<Adoption> {
  const item = context.records[0];
  refuseProvisioning(sid, item);
  const live = context.alongside as LiveSubaccount;
  const planned = plannedAdoption(sid, live, item, options);
  const plan: AdoptPlan = { deps, sid, live, planned, budget };
  const [held] = context.held as [HeldOperation];
  const start: Partial<AdoptState> = item
    ? { apiKey: item.data.apiKey, twimlAppSid: item.data.twimlAppSid, registered: item }
    : held.resumed
      ? (held.progress as Partial<AdoptState>)
      : {};
  let state: Partial<AdoptState>;
  try {
    state = await runSteps(steps(plan), start, {
      // The key's secret is shown once: kept in the record for a retry. An App this call made is on
      // /voice, so a retry finds it again (live.ts `reusableApp`) without it.
      done: (name, gave) => {
        if (name === 'apiKey') void held.save(gave).catch(() => undefined);
      },
    });
  } catch (error) {
    const cause = error instanceof StepFailed ? error.cause : error;
    throw withIdempotencyKey(cause, context.key, `Adopting ${sid}`);
  }
  const { registered, pointed = [] } = state as Pick<AdoptState, 'registered'> & Partial<AdoptState>;
  if (!item) await emitSubaccountEvent(deps, 'subaccount.adopted', registered.data);
  return adoptionDone(planned, registered, pointed);
}

/** A subaccount a create is still making is that create's to finish. */
function refuseProvisioning(sid: string, item: StoredItem<SubaccountRecord> | undefined): void {
  if (item?.data.status === 'provisioning')
    throw conflict(
      'subaccount_provisioning',
      `${sid} is being made by a create that has not finished: retry that create with its idempotencyKey.`,
    );
}

/** The page mode adopts each subaccount under its own key: one given for a page would name many calls. */
export function refusePageKey(parameters: AdoptParameters): void {
  if (!parameters.subaccountSid && parameters.idempotencyKey !== undefined)
    throw invalidParameter(
      'idempotencyKey',
      'needs subaccountSid: a page adopts each subaccount under its own key',
    );
}
