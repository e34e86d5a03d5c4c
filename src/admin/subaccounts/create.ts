import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { badRequest, invalidParameter, ServiceError } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import { DEFAULT_ALLOWED_PREFIXES, type RegisteredNumber, type SubaccountRecord } from '../../registry/types';
import { fromTwilioError, isTwilioNotFound } from '../../twilio/rest-errors';
import type { AdminDeps } from '../deps';
import { withIdempotencyKey } from '../idempotency';
import { addNumberToMessagingService } from '../messaging';
import {
  addressSid,
  dialPrefix,
  flag,
  friendlyName,
  idempotencyKey,
  listOf,
  phoneNumberSid,
} from '../parameters';
import { twilioCall } from '../twilio-call';
import { claimCreation, resumeCreation, type ClaimedCreation, type Progress } from './creation-journal';
import {
  ensureAccount,
  ensureApiKey,
  ensureMessagingService,
  ensureNumber,
  ensureVoiceApp,
  renameAccount,
  type NumberRequest,
} from './create-steps';

export const createParameters = z
  .object({
    friendlyName,
    /** Optional: without one, the answer carries a generated key to retry with. */
    idempotencyKey: idempotencyKey.optional(),
    /** Move this number from the main account to the subaccount... */
    phoneNumberSid: phoneNumberSid.optional(),
    /** ...or buy one, by area code and/or country. */
    areaCode: z
      .string()
      .regex(/^\d{3}$/, 'must be 3 digits')
      .optional(),
    isoCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO country code like US')
      .optional(),
    /** The subaccount's Address for a bought number that needs one (Twilio's AddressSid). */
    addressSid: addressSid.optional(),
    messagingService: flag.default(false),
    recording: flag.default(false),
    allowedPrefixes: listOf(dialPrefix).optional(),
  })
  .superRefine((value, context) => {
    if (value.phoneNumberSid && (value.areaCode || value.isoCountry)) {
      context.addIssue({
        code: 'custom',
        path: ['phoneNumberSid'],
        message: 'give either phoneNumberSid (move a number) or areaCode/isoCountry (buy one), not both',
      });
    }
    if (value.addressSid && !value.areaCode && !value.isoCountry) {
      context.addIssue({
        code: 'custom',
        path: ['addressSid'],
        message: 'is for a bought number: give areaCode or isoCountry too',
      });
    }
    if (value.messagingService && !value.phoneNumberSid && !value.areaCode && !value.isoCountry) {
      context.addIssue({
        code: 'custom',
        path: ['messagingService'],
        message: 'needs a number: give phoneNumberSid, areaCode or isoCountry too',
      });
    }
  });

export type CreateParameters = z.output<typeof createParameters>;

export interface CreateOutcome {
  record: StoredItem<SubaccountRecord>;
  idempotencyKey: string;
  /** True when an earlier call with this key had already created it all. */
  replayed: boolean;
}

/**
 * Creates a subaccount with everything a customer needs, in one idempotent call. Critical path, in
 * round trips: (1) claim the idempotency key, checking a number to move at the same time; (2) create
 * the subaccount; (3) its API key, TwiML App and Messaging Service, journal the SID; (4) journal the key
 * and App, move or buy the number, rename the subaccount; (5) the registry item, and the number into
 * the Messaging Service.
 */
export async function createSubaccount(
  deps: AdminDeps,
  parameters: CreateParameters,
): Promise<CreateOutcome> {
  const key = parameters.idempotencyKey ?? randomUUID();
  const now = deps.now();
  const [claimed, numberCheck] = await Promise.allSettled([
    claimCreation(deps.journal, key, requestHash(parameters), now),
    parameters.phoneNumberSid ? numberInMain(deps, parameters.phoneNumberSid) : Promise.resolve(undefined),
  ]);
  if (claimed.status === 'rejected') throw claimed.reason;
  const claim = claimed.value;

  let creation: ClaimedCreation;
  if (claim.kind === 'existing') {
    const done = claim.entry.data.accountSid
      ? await deps.registry.get(claim.entry.data.accountSid)
      : undefined;
    if (done) {
      await finishMessaging(deps, done.data);
      return { record: done, idempotencyKey: key, replayed: true };
    }
    creation = await resumeCreation(deps.journal, claim.entry, now);
  } else {
    creation = claim.creation;
  }

  let number: NumberRequest | undefined;
  try {
    number = numberRequest(parameters, numberCheck, creation.resumed);
  } catch (error) {
    // Bad input changes nothing: the fresh claim is withdrawn too.
    if (!creation.resumed) await deps.journal.remove(key);
    else await creation.release();
    throw error;
  }

  try {
    const record = await build(deps, creation, parameters, number);
    return { record, idempotencyKey: key, replayed: false };
  } catch (error) {
    await creation.release();
    // Progress is kept under the key: retrying with it completes this subaccount, not a second one.
    throw withIdempotencyKey(error, key, 'Creating the subaccount');
  }
}

async function build(
  deps: AdminDeps,
  creation: ClaimedCreation,
  parameters: CreateParameters,
  numberRequest: NumberRequest | undefined,
): Promise<StoredItem<SubaccountRecord>> {
  const account = await ensureAccount(deps, creation);
  const sid = account.sid;

  const accountKnown = creation.entry.accountSid === sid;
  const [accountSaved, apiKey, appSid, messagingServiceSid] = await Promise.allSettled([
    accountKnown ? Promise.resolve() : creation.save({ accountSid: sid }),
    ensureApiKey(deps, creation, sid),
    ensureVoiceApp(deps, creation, sid),
    parameters.messagingService
      ? ensureMessagingService(deps, creation, account, parameters.friendlyName)
      : Promise.resolve(undefined),
  ]);
  // Whatever was made is journalled, failure or not: above all the key, whose secret is shown once.
  const progress: Progress = {
    ...(accountSaved.status === 'rejected' ? { accountSid: sid } : {}),
    ...(apiKey.status === 'fulfilled' && !creation.entry.apiKey ? { apiKey: apiKey.value } : {}),
    ...(appSid.status === 'fulfilled' && !creation.entry.twimlAppSid ? { twimlAppSid: appSid.value } : {}),
    ...(messagingServiceSid.status === 'fulfilled' &&
    messagingServiceSid.value &&
    !creation.entry.messagingServiceSid
      ? { messagingServiceSid: messagingServiceSid.value }
      : {}),
  };
  const progressSaved = Object.keys(progress).length > 0 ? creation.save(progress) : Promise.resolve();
  if (
    apiKey.status === 'rejected' ||
    appSid.status === 'rejected' ||
    messagingServiceSid.status === 'rejected'
  ) {
    await progressSaved.catch(() => undefined);
    throw firstFailure([apiKey, appSid, messagingServiceSid]);
  }
  // Only once the SID is durable may the pending name (the way a retry finds the account) go.
  const sidDurable = accountSaved.status === 'fulfilled' ? Promise.resolve() : progressSaved;

  const [, number] = await Promise.all([
    progressSaved,
    numberRequest
      ? ensureNumber(deps, creation, sid, appSid.value, numberRequest)
      : Promise.resolve(undefined),
    sidDurable.then(() => renameAccount(deps, sid, parameters.friendlyName)),
  ]);

  const record = newRecord(deps, parameters, creation.key, {
    sid,
    apiKey: apiKey.value,
    appSid: appSid.value,
    messagingServiceSid:
      messagingServiceSid.status === 'fulfilled' ? (messagingServiceSid.value ?? null) : null,
    number,
  });
  const [stored] = await Promise.all([
    registerOnce(deps, record),
    number && record.messagingServiceSid
      ? addNumberToMessagingService(deps, account, record.messagingServiceSid, number.sid)
      : Promise.resolve(),
  ]);
  return stored;
}

function newRecord(
  deps: AdminDeps,
  parameters: CreateParameters,
  idempotencyKey: string,
  made: {
    sid: string;
    apiKey: SubaccountRecord['apiKey'];
    appSid: string;
    messagingServiceSid: string | null;
    number: RegisteredNumber | undefined;
  },
): SubaccountRecord {
  const now = deps.now().toISOString();
  return {
    sid: made.sid,
    friendlyName: parameters.friendlyName,
    status: 'active',
    apiKey: made.apiKey,
    retiringApiKeys: [],
    twimlAppSid: made.appSid,
    numbers: made.number ? [made.number] : [],
    callerId: made.number?.phoneNumber ?? null,
    inboundRouting: {},
    recording: parameters.recording,
    allowedPrefixes: parameters.allowedPrefixes ?? [...DEFAULT_ALLOWED_PREFIXES],
    messagingServiceSid: made.messagingServiceSid,
    idempotencyKey,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The last step ran beside the registry write, so the registry item alone does not prove it done: a
 * replay runs it again (it is idempotent) while the subaccount is active.
 */
async function finishMessaging(deps: AdminDeps, record: SubaccountRecord): Promise<void> {
  const serviceSid = record.messagingServiceSid;
  if (!serviceSid || record.status !== 'active' || record.numbers.length === 0) return;
  const account = await twilioCall(
    `Fetching ${record.sid}`,
    deps.clients.main().api.v2010.accounts(record.sid).fetch(),
  );
  await Promise.all(
    record.numbers.map((number) =>
      addNumberToMessagingService(
        deps,
        { sid: account.sid, authToken: account.authToken },
        serviceSid,
        number.sid,
      ),
    ),
  );
}

/** The registry item; if an earlier attempt wrote it (its answer lost), that one stands. */
async function registerOnce(
  deps: AdminDeps,
  record: SubaccountRecord,
): Promise<StoredItem<SubaccountRecord>> {
  try {
    return await deps.registry.create(record.sid, record);
  } catch (error) {
    if (!(error instanceof ServiceError && error.code === 'item_exists')) throw error;
    const existing = await deps.registry.get(record.sid);
    if (!existing) throw error;
    return existing;
  }
}

type NumberCheck = PromiseSettledResult<{ addressRequirements: string } | undefined>;

/** What to do about a number, refusing a number that cannot be moved before anything is created. */
function numberRequest(
  parameters: CreateParameters,
  check: NumberCheck,
  resumed: boolean,
): NumberRequest | undefined {
  if (parameters.phoneNumberSid) {
    if (check.status === 'rejected') throw check.reason;
    const inMain = check.value !== undefined;
    // On a resumed call the number may have moved already; ensureNumber looks for it in the subaccount.
    if (!inMain && !resumed) throw invalidParameter('phoneNumberSid', 'is not a number of the main account');
    if (check.value && check.value.addressRequirements !== 'none') {
      throw badRequest(
        'address_required',
        `phoneNumberSid: ${parameters.phoneNumberSid} needs an Address in the gaining account; create the subaccount without it, add an Address, then use /admin/numbers/transfer.`,
        { parameter: 'phoneNumberSid' },
      );
    }
    return { kind: 'move', phoneNumberSid: parameters.phoneNumberSid, inMain };
  }
  if (parameters.areaCode || parameters.isoCountry) {
    return {
      kind: 'buy',
      areaCode: parameters.areaCode,
      isoCountry: parameters.isoCountry ?? 'US',
      ...(parameters.addressSid ? { addressSid: parameters.addressSid } : {}),
    };
  }
  return undefined;
}

async function numberInMain(deps: AdminDeps, phoneNumberSid: string) {
  try {
    return await deps.clients.main().incomingPhoneNumbers(phoneNumberSid).fetch();
  } catch (error) {
    if (isTwilioNotFound(error)) return undefined;
    throw fromTwilioError(error, `Fetching ${phoneNumberSid}`);
  }
}

function firstFailure(steps: PromiseSettledResult<unknown>[]): unknown {
  return steps.find((step): step is PromiseRejectedResult => step.status === 'rejected')?.reason;
}

/** One idempotency key means one request: the parameters that shape the result, hashed. */
function requestHash(parameters: CreateParameters): string {
  const shape = Object.entries(parameters)
    .filter(([name]) => name !== 'idempotencyKey')
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}
