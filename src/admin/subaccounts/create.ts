import { emitSubaccountEvent } from '../../events/subaccount-events';
import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';
import { runSteps, step, StepFailed } from '../operations/steps';
import type { CreateParameters } from './creation/create-parameters';
import { startCreate } from './creation/claim';
import type { CreatePlan, CreateState } from './creation/plan';
import { commit, listActive, listProvisioning, register, stopped } from './creation/registry-steps';
import * as run from './creation/step-runs';

export { createParameters, type CreateParameters } from './creation/create-parameters';

export interface CreateOutcome {
  record: StoredItem<SubaccountRecord>;
  idempotencyKey: string;
  /** True when an earlier call with this key had created it all. */
  replayed: boolean;
}

const s = step<CreateState>();

/**
 * The steps of create (creation/plan.ts says what each field is). Each starts as soon as what it needs
 * is there (operations/steps.ts), so with a number to move or buy the critical path is six round trips:
 * (1) the key's operation record taken beside the look-up of the number (creation/claim.ts, before the
 * steps); (2) `account`; (3) `sidRecorded`, `tenantMap`, `apiKey`, `twimlApp`, `messagingService`,
 * `address`, `listed`; (4) `lock`, `registered`, `number`, `renamed`; (5) `pointed`, `joined`,
 * `listedActive`; (6) `record`, the commit. An `addressSid` for a moved number that needs an Address
 * `local` or `foreign` adds a round trip before (2): the Lookup of the number's country.
 *
 * How a retry with the same key resumes (creation/claim.ts): the key's record gives the subaccount's SID
 * (until then, its pending name finds it: parts.ts), the subaccount's `provisioning` record gives the
 * key, App and Messaging Service made (those steps do not run again); every other step looks for what an
 * earlier attempt made before it makes anything (a key whose secret was not recorded is replaced), and
 * the registry writes replace what they find.
 */
// prettier-ignore
const steps = (plan: CreatePlan) => [
  s({ name: 'account', needs: [], gives: ['account', 'registration'], run: () => run.account(plan) }),
  s({ name: 'sidRecorded', needs: ['account'], gives: ['sidRecorded'], run: (state) => run.recordSid(plan, state) }),
  s({ name: 'tenantMap', needs: ['registration'], gives: ['tenantMap'], run: (state) => run.tenantMap(plan, state) }),
  s({ name: 'apiKey', needs: ['account'], gives: ['apiKey'], run: (state) => run.apiKey(plan, state) }),
  s({ name: 'twimlApp', needs: ['account'], gives: ['twimlAppSid'], run: (state) => run.twimlApp(plan, state) }),
  s({ name: 'messagingService', needs: ['account'], gives: ['messagingServiceSid'], run: (state) => run.messagingService(plan, state) }),
  s({ name: 'address', needs: ['account'], gives: ['numberAddressSid'], run: (state) => run.address(plan, state) }),
  s({ name: 'listed', needs: ['account', 'registration'], gives: ['listed'], run: (state) => listProvisioning(plan, state) }),
  s({ name: 'lock', needs: ['account', 'tenantMap', 'sidRecorded'], gives: ['lock'], run: (state) => run.lock(plan, state) }),
  s({
    name: 'registered',
    needs: ['registration', 'tenantMap', 'listed', 'apiKey', 'twimlAppSid', 'messagingServiceSid'],
    gives: ['registered'],
    run: (state) => register(plan, state),
  }),
  s({ name: 'number', needs: ['account', 'twimlAppSid', 'numberAddressSid'], gives: ['number'], run: (state) => run.number(plan, state) }),
  s({ name: 'renamed', needs: ['account', 'sidRecorded'], gives: ['renamed'], evenAfterFailure: true, run: (state) => run.rename(plan, state) }),
  s({ name: 'pointed', needs: ['account', 'number', 'twimlAppSid'], gives: ['pointed'], run: (state) => run.point(plan, state) }),
  s({ name: 'joined', needs: ['account', 'number', 'messagingServiceSid'], gives: ['joined'], run: (state) => run.join(plan, state) }),
  s({
    name: 'listedActive',
    needs: ['registration', 'registered', 'number', 'renamed'],
    gives: ['listedActive'],
    run: (state) => listActive(plan, state),
  }),
  s({
    name: 'record',
    needs: ['registration', 'lock', 'listedActive', 'pointed', 'joined'],
    gives: ['record'],
    run: (state) => commit(plan, state),
  }),
];

/**
 * Creates a subaccount with everything a customer needs, in one idempotent call: a number that cannot
 * be had refuses the call before anything exists (creation/number-plan.ts). A failure once the
 * subaccount exists leaves it `provisioning` in the registry, with what is missing and why; the error
 * names it. A retry with the same idempotencyKey finishes it, and may change the number parameters
 * until it has finished; any other change is refused.
 */
export async function createSubaccount(
  deps: AdminDeps,
  parameters: CreateParameters,
): Promise<CreateOutcome> {
  const started = await startCreate(deps, parameters);
  if ('replayed' in started) return { record: started.replayed, idempotencyKey: started.key, replayed: true };
  const { plan, start } = started;
  try {
    const { record } = (await runSteps(steps(plan), start)) as Pick<CreateState, 'record'>;
    await emitSubaccountEvent(deps, 'subaccount.created', record.data);
    return { record, idempotencyKey: plan.key, replayed: false };
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    throw await stopped(plan, error.state as Partial<CreateState>, error.cause);
  }
}
