/**
 * The registry side of `create`. The subaccount's record exists from the moment its parts are made
 * (status `provisioning`, with what is still missing), so list, get, check and close see it even if the
 * create never finishes; it turns `active` once every part is in place. After a failure it says what is
 * missing and why, and the error the caller gets says the same.
 */
import { isServiceError, ServiceError } from '../../../errors/service-error';
import { sealAuthToken } from '../../../registry/tenant-auth-token';
import type { ProvisioningState, SubaccountRecord } from '../../../registry/types';
import { fromTwilioError, isTwilioRestError } from '../../../twilio/rest-errors';
import { withIdempotencyKey } from '../../idempotency';
import { KEPT_FOR_GOOD } from '../../operations/store';
import { newSubaccountRecord } from './creation-record';
import { describeProvisioning, type ProvisionedPart } from '../../provisioning';
import type { CreatePlan, CreateState } from './plan';

/** The parts `state` still lacks, as `provisioning.missing` names them. */
function missingParts(plan: CreatePlan, state: Partial<CreateState>): ProvisionedPart[] {
  return [
    ...(state.apiKey ? [] : (['apiKey'] as const)),
    ...(state.twimlAppSid ? [] : (['twimlApp'] as const)),
    ...(state.messagingServiceSid !== undefined ? [] : (['messagingService'] as const)),
    ...(state.number !== undefined ? [] : (['number'] as const)),
    ...(state.renamed ? [] : (['friendlyName'] as const)),
  ]
    .filter((part) => part !== 'messagingService' || plan.parameters.messagingService)
    .filter((part) => part !== 'number' || plan.number !== null);
}

/** The record as `state` has it: the parts made so far on the record found (or a new one). */
function recordOf(plan: CreatePlan, state: Partial<CreateState>, sid: string): SubaccountRecord {
  const { parameters, deps } = plan;
  const base =
    state.registered?.data ??
    plan.found?.data ??
    newSubaccountRecord(sid, parameters.friendlyName, deps.now(), {
      status: 'provisioning',
      recording: parameters.recording,
      ...(parameters.allowedCountries ? { allowedCountries: parameters.allowedCountries } : {}),
      ...(parameters.blockedNumberTypes ? { blockedNumberTypes: parameters.blockedNumberTypes } : {}),
      idempotencyKey: plan.key,
      ...(state.account
        ? { authToken: sealAuthToken(deps.config.registryKeys, sid, state.account.authToken) }
        : {}),
    });
  const number = state.number;
  return {
    ...base,
    ...(state.apiKey ? { apiKey: state.apiKey } : {}),
    ...(state.twimlAppSid ? { twimlAppSid: state.twimlAppSid } : {}),
    ...(state.messagingServiceSid ? { messagingServiceSid: state.messagingServiceSid } : {}),
    numbers: number
      ? [
          ...base.numbers.filter((held) => held.sid !== number.sid),
          { sid: number.sid, phoneNumber: number.phoneNumber },
        ]
      : base.numbers,
    callerId: base.callerId ?? number?.phoneNumber ?? null,
    updatedAt: deps.now().toISOString(),
  };
}

const beingCreated = (plan: CreatePlan, missing: ProvisionedPart[]): ProvisioningState => ({
  missing,
  reason: `Being created by the create call with idempotencyKey ${plan.key}; if that call failed, retry it with the same key, or close this subaccount.`,
});

/** The `provisioning` record, in the directory: list sees the subaccount from here on. */
export async function listProvisioning(
  plan: CreatePlan,
  state: Pick<CreateState, 'account' | 'registration'>,
) {
  await state.registration.writeSummary(provisioning(plan, state));
  return { listed: true as const };
}

const provisioning = (plan: CreatePlan, state: Partial<CreateState>): SubaccountRecord => {
  const sid = state.account?.sid ?? '';
  return {
    ...recordOf(plan, state, sid),
    status: 'provisioning',
    provisioning: beingCreated(plan, missingParts(plan, state)),
  };
};

/** The `provisioning` record with the parts made so far: the subaccount is registered. */
export async function register(
  plan: CreatePlan,
  state: Partial<CreateState> & Pick<CreateState, 'registration'>,
) {
  return { registered: await state.registration.writeAccount(provisioning(plan, state)) };
}

/** The record as it will be when done: `active`, every part in place. */
const finished = (plan: CreatePlan, state: Partial<CreateState>): SubaccountRecord => {
  const record = recordOf(plan, state, state.account?.sid ?? '');
  return {
    ...record,
    status: record.status === 'provisioning' ? 'active' : record.status,
    provisioning: null,
  };
};

/** The number's item and the `active` summary: everything but the commit. */
export async function listActive(
  plan: CreatePlan,
  state: Partial<CreateState> & Pick<CreateState, 'registration'>,
) {
  const record = finished(plan, state);
  await Promise.all([state.registration.writeNumbers(record), state.registration.writeSummary(record)]);
  return { listedActive: true as const };
}

/**
 * The commit: the record's `account` item `active`; beside it both operation records are completed
 * (the key's names the subaccount for good). Should the commit fail with the records completed, a retry
 * still finds the record `provisioning` and finishes it (claim.ts); should a completion fail, the
 * create is done all the same: its record lapses, and a retry is answered from the registry.
 */
export async function commit(
  plan: CreatePlan,
  state: Partial<CreateState> & Pick<CreateState, 'registration' | 'lock'>,
) {
  const sid = state.account?.sid ?? '';
  const [record] = await Promise.allSettled([
    state.registration.writeAccount(finished(plan, state)),
    state.lock.complete(undefined),
    plan.keyRecord.complete({ accountSid: sid, numberHash: plan.numberHash }, KEPT_FOR_GOOD),
  ]);
  if (record.status === 'rejected') throw record.reason;
  return { record: record.value };
}

/**
 * After a failure: records what is missing and why (best effort: the answer says it too), gives up the
 * operation records (the key's keeps the SID, so a retry resumes), and answers the error to throw,
 * naming the subaccount, what it lacks and the idempotencyKey that finishes it.
 */
export async function stopped(
  plan: CreatePlan,
  state: Partial<CreateState>,
  error: unknown,
): Promise<unknown> {
  const sid = state.account?.sid;
  if (!sid) {
    await plan.keyRecord.giveUp(true);
    return withIdempotencyKey(error, plan.key, 'Creating the subaccount');
  }
  const known = isServiceError(error) || isTwilioRestError(error);
  const failure = known ? fromTwilioError(error, 'Creating the subaccount') : undefined;
  const missing = missingParts(plan, state);
  const stopState: ProvisioningState = {
    missing: missing.length > 0 ? missing : ['registry'],
    reason: failure?.message ?? 'The service failed unexpectedly; the error is in its logs.',
  };
  if (!state.record) await recordStop(plan, state, sid, stopState);
  await Promise.all([state.lock?.giveUp(true), plan.keyRecord.giveUp(true)]);
  if (state.record) return withIdempotencyKey(error, plan.key, 'Creating the subaccount');
  if (!failure) return error;
  return new ServiceError(
    failure.status,
    'subaccount_incomplete',
    `Subaccount ${sid} exists but is not complete (${describeProvisioning(stopState)}); retry with the same idempotencyKey (${plan.key}) to finish it (phoneNumberSid, areaCode, isoCountry and addressSid may change), or close it.`,
    {
      ...failure.details,
      cause: failure.code,
      idempotencyKey: plan.key,
      subaccountSid: sid,
      provisioning: stopState,
    },
  );
}

/** Writes the `provisioning` state of a stopped create; a record that moved on (closed) is left alone. */
async function recordStop(
  plan: CreatePlan,
  state: Partial<CreateState>,
  sid: string,
  provisioningState: ProvisioningState,
): Promise<void> {
  const { registry } = plan.deps;
  const made = recordOf(plan, state, sid);
  const stop = (record: SubaccountRecord): SubaccountRecord =>
    record.status === 'provisioning'
      ? {
          ...record,
          ...partsOf(made),
          numbers: made.numbers,
          callerId: made.callerId,
          provisioning: provisioningState,
        }
      : record;
  await registry
    .update(sid, stop)
    .catch((error: unknown) => {
      // Only a record that was never written is created here; any other failure leaves it as it is.
      if (isServiceError(error) && error.code === 'not_found')
        return registry.create(sid, { ...made, status: 'provisioning', provisioning: provisioningState });
      return undefined;
    })
    .catch(() => undefined);
}

const partsOf = (record: SubaccountRecord): Partial<SubaccountRecord> => ({
  apiKey: record.apiKey,
  twimlAppSid: record.twimlAppSid,
  messagingServiceSid: record.messagingServiceSid,
  ...(record.authToken ? { authToken: record.authToken } : {}),
});
