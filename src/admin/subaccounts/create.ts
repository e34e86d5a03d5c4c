import type { StoredItem } from '../../registry/sync-map-store';
import type { SubaccountRecord } from '../../registry/types';
import { emitSubaccountEvent } from '../../events/subaccount-events';
import type { AdminDeps } from '../deps';
import { runSteps, step, StepFailed } from '../operations/steps';
import type { CreateParameters } from './create-parameters';
import { ensureNumberAddress } from './creation/address-copy';
import { startCreate } from './creation/claim';
import {
  ensureAccount,
  ensureApiKey,
  ensureMessagingService,
  ensureNumber,
  ensureVoiceApp,
  joinMessagingService,
  pointNumberAt,
  renameAccount,
} from './creation/parts';
import type { CreatePlan, CreateState } from './creation/plan';
import { commit, listActive, listProvisioning, register, stopped } from './creation/registry-steps';

export { createParameters, type CreateParameters } from './create-parameters';

export interface CreateOutcome {
  record: StoredItem<SubaccountRecord>;
  idempotencyKey: string;
  /** True when an earlier call with this key had created it all. */
  replayed: boolean;
}

const s = step<CreateState>();

/**
 * The steps of create, each starting as soon as what it needs is there (operations/steps.ts). With a
 * number to move or buy, the critical path is six round trips: (1) the key's record taken beside the
 * look-up of the number (before the steps); (2) `account`; (3) the SID recorded, the subaccount's Map,
 * key, App, Messaging Service and directory summary, and the Address copy; (4) its operation record
 * (`lock`), its `provisioning` record, the number moved or bought, the name; (5) the number pointed at
 * the App and put into the Messaging Service, its item and the `active` summary; (6) the commit. An
 * `addressSid` for a moved number that needs an Address `local` or `foreign` adds one round trip before
 * (2): the Lookup of the number's country.
 */
const steps = (plan: CreatePlan) => [
  s({
    name: 'account',
    needs: [],
    gives: ['account', 'registration'],
    run: async () => {
      const account = await ensureAccount(plan);
      return { account, registration: plan.deps.registry.registration(account.sid, plan.found) };
    },
  }),
  s({
    name: 'sidRecorded',
    needs: ['account'],
    gives: ['sidRecorded'],
    run: async ({ account }) => {
      await plan.keyRecord.save({ accountSid: account.sid });
      return { sidRecorded: true };
    },
  }),
  s({
    name: 'tenantMap',
    needs: ['registration'],
    gives: ['tenantMap'],
    run: async ({ registration }) => {
      await registration.createMap();
      return { tenantMap: true };
    },
  }),
  s({
    name: 'apiKey',
    needs: ['account'],
    gives: ['apiKey'],
    run: async ({ account }) => ({
      apiKey: await ensureApiKey(plan, account.sid),
    }),
  }),
  s({
    name: 'twimlApp',
    needs: ['account'],
    gives: ['twimlAppSid'],
    run: async ({ account }) => ({
      twimlAppSid: await ensureVoiceApp(plan, account.sid),
    }),
  }),
  s({
    name: 'messagingService',
    needs: ['account'],
    gives: ['messagingServiceSid'],
    run: async ({ account }) => ({
      messagingServiceSid: await ensureMessagingService(plan, account),
    }),
  }),
  s({
    name: 'address',
    needs: ['account'],
    gives: ['numberAddressSid'],
    run: async ({ account }) => ({
      numberAddressSid: await ensureNumberAddress(plan, account.sid),
    }),
  }),
  s({
    name: 'listed',
    needs: ['account', 'registration'],
    gives: ['listed'],
    run: (state) => listProvisioning(plan, state),
  }),
  s({
    name: 'lock',
    needs: ['account', 'tenantMap', 'sidRecorded'],
    gives: ['lock'],
    run: async ({ account }) => ({
      lock: await plan.deps.operations.take({ subaccountSid: account.sid }, plan.claim, undefined),
    }),
  }),
  s({
    name: 'registered',
    needs: ['registration', 'tenantMap', 'listed', 'apiKey', 'twimlAppSid', 'messagingServiceSid'],
    gives: ['registered'],
    run: (state) => register(plan, state),
  }),
  s({
    name: 'number',
    needs: ['account', 'twimlAppSid', 'numberAddressSid'],
    gives: ['number'],
    run: async (state) => ({
      number: await ensureNumber(plan, state.account.sid, state.twimlAppSid, state.numberAddressSid),
    }),
  }),
  s({
    name: 'renamed',
    needs: ['account', 'sidRecorded'],
    gives: ['renamed'],
    run: async ({ account }) => {
      await renameAccount(plan.deps, account.sid, plan.parameters.friendlyName);
      return { renamed: true };
    },
  }),
  s({
    name: 'pointed',
    needs: ['account', 'number', 'twimlAppSid'],
    gives: ['pointed'],
    run: async (state) => {
      if (state.number) await pointNumberAt(plan.deps, state.account.sid, state.number, state.twimlAppSid);
      return { pointed: true };
    },
  }),
  s({
    name: 'joined',
    needs: ['account', 'number', 'messagingServiceSid'],
    gives: ['joined'],
    run: async (state) => {
      await joinMessagingService(plan.deps, state.account, state.messagingServiceSid, state.number);
      return { joined: true };
    },
  }),
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
 * Creates a subaccount with everything a customer needs, in one idempotent call (creation/claim.ts): a
 * number that cannot be had refuses the call before anything exists. A failure once the subaccount
 * exists leaves it `provisioning` in the registry, with what is missing and why; the error names it. A
 * retry with the same idempotencyKey finishes it, and may change the number parameters until it has
 * finished; any other change is refused.
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
