/**
 * How a `create` call starts: it takes its idempotency key's operation record (operations/store.ts) in
 * the same round trip as the look-up of the number, then plans the number (number-plan.ts) before
 * anything is made. A retry with the key finds the record of the earlier call: with other parameters
 * (the number's aside, until it has finished) it is refused; while that call may still work, 409
 * `create_in_progress`; once it finished, it is answered (replayed); otherwise it takes the record and
 * the subaccount's own one over (refused 409 `subaccount_busy`, changing nothing, while another change
 * holds the subaccount) and resumes.
 */
import { randomUUID } from 'node:crypto';
import { conflict } from '../../../errors/service-error';
import type { StoredItem } from '../../../registry/sync-map-store';
import type { SubaccountRecord } from '../../../registry/types';
import type { AdminDeps } from '../../deps';
import { addNumberToMessagingService } from '../../messaging';
import { payloadHash, stateOf, type OperationRecord } from '../../operations/record';
import { busy, HeldOperation, type OperationClaim } from '../../operations/store';
import { twilioCall } from '../../twilio-call';
import { NUMBER_PARAMETERS, type CreateParameters } from './create-parameters';
import { lookUpNumber, planNumber, type NumberLookup } from './number-plan';
import { pointNumberAt } from './parts';
import type { CreatePlan, CreateState } from './plan';

export type CreateStart =
  { replayed: StoredItem<SubaccountRecord>; key: string } | { plan: CreatePlan; start: Partial<CreateState> };

export async function startCreate(deps: AdminDeps, parameters: CreateParameters): Promise<CreateStart> {
  const key = parameters.idempotencyKey ?? randomUUID();
  const isNumberParameter = (name: string) => (NUMBER_PARAMETERS as readonly string[]).includes(name);
  const claim = {
    operation: 'create',
    key,
    payloadHash: payloadHash(
      pick(parameters, (name) => name !== 'idempotencyKey' && !isNumberParameter(name)),
    ),
  };
  const numberHash = payloadHash(pick(parameters, isNumberParameter));
  const [taken, lookup] = await Promise.allSettled([
    deps.operations.takeNew({ idempotencyKey: key }, claim, { numberHash }),
    lookUpNumber(deps, parameters),
  ]);
  if (taken.status === 'rejected') throw taken.reason;
  const base = { deps, parameters, key, claim, numberHash };
  if (taken.value instanceof HeldOperation) {
    const plan = { ...base, keyRecord: taken.value, resumed: false, number: null };
    return { plan: await withNumber(plan, lookup), start: {} };
  }
  return resume(base, taken.value.existing, lookup);
}

type Base = Pick<CreatePlan, 'deps' | 'parameters' | 'key' | 'claim' | 'numberHash'>;

async function resume(
  base: Base,
  existing: StoredItem<OperationRecord>,
  lookup: PromiseSettledResult<NumberLookup>,
): Promise<CreateStart> {
  const { deps, key, claim } = base;
  if (existing.data.payloadHash !== claim.payloadHash) throw keyReused(key);
  const now = deps.now().getTime();
  if (stateOf(existing.data, now) === 'in_progress') throw busy({ idempotencyKey: key }, existing.data, now);
  const earlier = { ...existing.data.progress, ...(existing.data.result as object | undefined) };
  const accountSid = typeof earlier.accountSid === 'string' ? earlier.accountSid : undefined;
  const tenant = accountSid ? await deps.registry.getWithOperation(accountSid) : {};
  const found = tenant.stored;
  if (found && found.data.status !== 'provisioning') {
    if (earlier.numberHash !== undefined && earlier.numberHash !== base.numberHash)
      throw keyReused(key, true);
    await finishLastSteps(deps, found.data);
    return { replayed: found, key };
  }
  // Another change (a close, say) holds the subaccount: finishing the create now would race it.
  const lock = accountSid
    ? await deps.operations.take(
        { subaccountSid: accountSid },
        claim,
        tenant.operation && deps.operations.parse({ subaccountSid: accountSid }, tenant.operation),
      )
    : undefined;
  const keyRecord = await deps.operations
    .take({ idempotencyKey: key }, claim, existing)
    .catch(async (error) => {
      await lock?.giveUp(false);
      throw error;
    });
  const plan: CreatePlan = {
    ...base,
    keyRecord,
    resumed: true,
    number: null,
    ...(accountSid ? { accountSid } : {}),
    ...(found ? { found } : {}),
  };
  await Promise.all([
    keyRecord.save({ numberHash: base.numberHash, ...(accountSid ? { accountSid } : {}) }),
  ]).catch(async (error: unknown) => {
    await Promise.all([lock?.giveUp(false), keyRecord.giveUp(true)]);
    throw error;
  });
  const planned = await withNumber(plan, lookup, lock);
  return { plan: planned, start: startOf(planned, lock) };
}

/** The plan with its number step, or the refusal of a number that cannot be had (changing nothing). */
async function withNumber(
  plan: CreatePlan,
  lookup: PromiseSettledResult<NumberLookup>,
  lock?: HeldOperation,
): Promise<CreatePlan> {
  try {
    if (lookup.status === 'rejected') throw lookup.reason;
    const number = await planNumber(plan.deps, plan.parameters, lookup.value, {
      resumed: plan.resumed,
      ...(plan.accountSid ? { accountSid: plan.accountSid } : {}),
    });
    return { ...plan, number: number ?? null };
  } catch (error) {
    // Bad input changes nothing: a fresh key's record is withdrawn, a resumed one given back.
    await Promise.all([plan.keyRecord.giveUp(plan.resumed), lock?.giveUp(false)]);
    throw error;
  }
}

/** What a resumed create already has, as the earlier attempt left it: those steps do not run again. */
function startOf(plan: CreatePlan, lock: HeldOperation | undefined): Partial<CreateState> {
  const record = plan.found?.data;
  return {
    ...(plan.accountSid ? { sidRecorded: true as const } : {}),
    ...(lock ? { lock, tenantMap: true as const } : {}),
    ...(record ? { listed: true as const } : {}),
    ...(record?.apiKey ? { apiKey: record.apiKey } : {}),
    ...(record?.twimlAppSid ? { twimlAppSid: record.twimlAppSid } : {}),
    ...(record?.messagingServiceSid ? { messagingServiceSid: record.messagingServiceSid } : {}),
  };
}

/** The refusal of a key already used for another request (number parameters aside, until it finished). */
export function keyReused(key: string, finished = false): ReturnType<typeof conflict> {
  return conflict(
    'idempotency_key_reused',
    finished
      ? `idempotencyKey ${key} was used for a create that has finished with other number parameters; use a new key.`
      : `idempotencyKey ${key} was already used for a create with other parameters (only phoneNumberSid, areaCode, isoCountry and addressSid may change while it is unfinished); use a new key.`,
    { parameter: 'idempotencyKey' },
  );
}

function pick(parameters: CreateParameters, keep: (name: string) => boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parameters).filter(([name]) => keep(name)));
}

/**
 * The last steps (the number pointed at the App, and into the Messaging Service) ran beside the
 * registry writes, so the record alone does not prove them done: a replay runs them again (they are
 * idempotent) while the subaccount is active. A fresh create has one number: a few requests.
 */
async function finishLastSteps(deps: AdminDeps, record: SubaccountRecord): Promise<void> {
  const { twimlAppSid: appSid, messagingServiceSid: serviceSid } = record;
  if (record.status !== 'active' || record.numbers.length === 0) return;
  const own = deps.clients.actingOn(record.sid).incomingPhoneNumbers;
  const account = serviceSid
    ? await twilioCall(`Fetching ${record.sid}`, deps.clients.main().api.v2010.accounts(record.sid).fetch())
    : undefined;
  await Promise.all(
    record.numbers.map(async (number) => {
      if (appSid) {
        const live = await twilioCall(`Fetching ${number.sid}`, own(number.sid).fetch());
        await pointNumberAt(deps, record.sid, live, appSid);
      }
      if (account && serviceSid) {
        const credentials = { sid: account.sid, authToken: account.authToken };
        await addNumberToMessagingService(deps, credentials, serviceSid, number.sid);
      }
    }),
  );
}

export type { OperationClaim };
