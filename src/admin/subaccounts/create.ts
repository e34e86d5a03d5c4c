import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StoredItem } from '../../registry/sync-map-store';
import { sealAuthToken } from '../../registry/tenant-auth-token';
import type { SubaccountRecord } from '../../registry/types';
import type { AdminDeps } from '../deps';
import { withIdempotencyKey } from '../idempotency';
import { addNumberToMessagingService, type SubaccountCredentials } from '../messaging';
import {
  addressSid,
  allowedCountryList,
  blockedNumberTypeList,
  flag,
  friendlyName,
  idempotencyKey,
  phoneNumberSid,
} from '../parameters';
import { refuseIfLeased } from '../subaccount-lease';
import { twilioCall } from '../twilio-call';
import {
  ensureAccount,
  ensureApiKey,
  ensureMessagingService,
  ensureNumber,
  ensureVoiceApp,
  pointNumberAt,
  renameAccount,
} from './create-steps';
import {
  claimCreation,
  keyReused,
  resumeCreation,
  type ClaimedCreation,
  type Progress,
} from './creation-journal';
import { emitSubaccountEvent } from '../../events/subaccount-events';
import { ensureNumberAddress } from './address-copy';
import { CreationRecord } from './creation-record';
import { lookUpNumber, planNumber, type NumberParameters, type NumberRequest } from './number-plan';

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
    /** The Address a number that needs one is moved or bought with (Twilio's AddressSid). */
    addressSid: addressSid.optional(),
    messagingService: flag.default(false),
    recording: flag.default(false),
    /** The toll-fraud guard; by default the caller ID's country, and the default blocked types. */
    allowedCountries: allowedCountryList.optional(),
    blockedNumberTypes: blockedNumberTypeList.optional(),
  })
  .superRefine((value, context) => {
    const wantsNumber = Boolean(value.phoneNumberSid || value.areaCode || value.isoCountry);
    if (value.phoneNumberSid && (value.areaCode || value.isoCountry)) {
      context.addIssue({
        code: 'custom',
        path: ['phoneNumberSid'],
        message: 'give either phoneNumberSid (move a number) or areaCode/isoCountry (buy one), not both',
      });
    }
    if (value.messagingService && !wantsNumber) {
      context.addIssue({
        code: 'custom',
        path: ['messagingService'],
        message: 'needs a number: give phoneNumberSid, areaCode or isoCountry too',
      });
    }
    if (value.addressSid && !wantsNumber) {
      context.addIssue({
        code: 'custom',
        path: ['addressSid'],
        message: 'is for a number: give phoneNumberSid, areaCode or isoCountry too',
      });
    }
  });

export type CreateParameters = z.output<typeof createParameters>;

/** The parameters a retry that finishes an unfinished create may change: the number was the problem. */
const NUMBER_PARAMETERS = ['phoneNumberSid', 'areaCode', 'isoCountry', 'addressSid'] as const;

export interface CreateOutcome {
  record: StoredItem<SubaccountRecord>;
  idempotencyKey: string;
  /** True when an earlier call with this key had already created it all. */
  replayed: boolean;
}

/**
 * Creates a subaccount with everything a customer needs, in one idempotent call. Critical path, in
 * round trips: (1) claim the idempotency key while checking the number (the number to move is in the
 * main account and may move; a number to buy is on offer with an address requirement the call meets),
 * so a number that cannot be had refuses the call before anything exists; (2) create the subaccount;
 * (3) its `provisioning` registry item, API key, TwiML App and Messaging Service, journal the SID, and
 * the number's Address copied from the main account when one is named; (4) journal the key and App, move
 * or buy the number, rename the subaccount; (5) the registry item marked `active`, the number pointed at
 * the App and into the Messaging Service. An `addressSid` for a moved number that needs an Address
 * `local` or `foreign` adds one round trip between (1) and (2): the Lookup of the number's country.
 *
 * A failure once the subaccount exists leaves it `provisioning` in the registry, with what is missing
 * and why; the error names it. A retry with the same idempotencyKey finishes it, and may change the
 * number parameters (NUMBER_PARAMETERS) until it has finished; any other change is refused.
 */
export async function createSubaccount(
  deps: AdminDeps,
  parameters: CreateParameters,
): Promise<CreateOutcome> {
  const key = parameters.idempotencyKey ?? randomUUID();
  const now = deps.now();
  const hashes = { requestHash: requestHash(parameters), numberHash: numberHash(parameters) };
  const [claimed, lookup] = await Promise.allSettled([
    claimCreation(deps.journal, key, hashes, now),
    lookUpNumber(deps, parameters),
  ]);
  if (claimed.status === 'rejected') throw claimed.reason;
  const claim = claimed.value;

  let creation: ClaimedCreation;
  if (claim.kind === 'existing') {
    const { stored: made, lease } = claim.entry.data.accountSid
      ? await deps.registry.getWithLease(claim.entry.data.accountSid)
      : {};
    if (made && made.data.status !== 'provisioning') {
      const earlier = claim.entry.data.numberHash;
      if (earlier !== undefined && earlier !== hashes.numberHash) throw keyReused(key, true);
      await finishLastSteps(deps, made.data);
      return { record: made, idempotencyKey: key, replayed: true };
    }
    // Another lifecycle change (a close, say) holds the subaccount: finishing it now would race that.
    if (made) refuseIfLeased(made.key, lease?.data, now.getTime());
    creation = await resumeCreation(deps.journal, claim.entry, hashes.numberHash, now);
  } else {
    creation = claim.creation;
  }

  let number: NumberRequest | undefined;
  try {
    if (lookup.status === 'rejected') throw lookup.reason;
    number = await planNumber(deps, parameters, lookup.value, {
      resumed: creation.resumed,
      accountSid: creation.entry.accountSid,
    });
  } catch (error) {
    // Bad input changes nothing: the fresh claim is withdrawn too.
    if (!creation.resumed) await deps.journal.remove(key);
    else await creation.release();
    throw error;
  }

  try {
    const record = await build(deps, creation, parameters, number);
    await emitSubaccountEvent(deps, 'subaccount.created', record.data);
    return { record, idempotencyKey: key, replayed: false };
  } catch (error) {
    await creation.release();
    throw error;
  }
}

async function build(
  deps: AdminDeps,
  creation: ClaimedCreation,
  parameters: CreateParameters,
  numberRequest: NumberRequest | undefined,
): Promise<StoredItem<SubaccountRecord>> {
  const account = await ensureAccount(deps, creation).catch((error: unknown) => {
    // Progress is kept under the key: retrying with it completes this subaccount, not a second one.
    throw withIdempotencyKey(error, creation.key, 'Creating the subaccount');
  });
  const record = new CreationRecord(deps, account.sid, creation.key, {
    ...parameters,
    number: numberRequest !== undefined,
    authToken: sealAuthToken(deps.config.registryEncryptionKey, account.sid, account.authToken),
  });
  try {
    return await provision(deps, creation, parameters, numberRequest, account, record);
  } catch (error) {
    throw await record.stopped(error);
  }
}

async function provision(
  deps: AdminDeps,
  creation: ClaimedCreation,
  parameters: CreateParameters,
  numberRequest: NumberRequest | undefined,
  account: SubaccountCredentials,
  record: CreationRecord,
): Promise<StoredItem<SubaccountRecord>> {
  const sid = account.sid;
  const accountKnown = creation.entry.accountSid === sid;
  // Copied beside the steps of round trip (3); the number step waits for it.
  const addressSid =
    numberRequest && numberRequest.kind !== 'unavailable' && numberRequest.address
      ? ensureNumberAddress(deps, creation, sid, numberRequest.address)
      : Promise.resolve(undefined);
  // Its failure is the number step's, answered there (or not at all when an earlier step fails first).
  addressSid.catch(() => undefined);
  const [accountSaved, registered, apiKey, appSid, messagingServiceSid] = await Promise.allSettled([
    accountKnown ? Promise.resolve() : creation.save({ accountSid: sid }),
    record.register(),
    ensureApiKey(deps, creation, sid),
    ensureVoiceApp(deps, creation, sid),
    parameters.messagingService
      ? ensureMessagingService(deps, creation, account, parameters.friendlyName)
      : Promise.resolve(undefined),
  ]);
  if (apiKey.status === 'fulfilled') record.done('apiKey', { apiKey: apiKey.value });
  if (appSid.status === 'fulfilled') record.done('twimlApp', { twimlAppSid: appSid.value });
  if (messagingServiceSid.status === 'fulfilled' && messagingServiceSid.value)
    record.done('messagingService', { messagingServiceSid: messagingServiceSid.value });
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
    registered.status === 'rejected' ||
    apiKey.status === 'rejected' ||
    appSid.status === 'rejected' ||
    messagingServiceSid.status === 'rejected'
  ) {
    await progressSaved.catch(() => undefined);
    throw firstFailure([registered, apiKey, appSid, messagingServiceSid]);
  }
  // Only once the SID is durable may the pending name (the way a retry finds the account) go.
  const sidDurable = accountSaved.status === 'fulfilled' ? Promise.resolve() : progressSaved;

  const [number, renamed, saved] = await Promise.allSettled([
    numberRequest
      ? addressSid.then((address) => ensureNumber(deps, creation, sid, appSid.value, numberRequest, address))
      : Promise.resolve(undefined),
    sidDurable.then(() => renameAccount(deps, sid, parameters.friendlyName)),
    progressSaved,
  ]);
  if (number.status === 'fulfilled' && number.value) {
    const { sid: numberSid, phoneNumber } = number.value;
    record.done('number', { number: { sid: numberSid, phoneNumber } });
  }
  if (renamed.status === 'fulfilled') record.done('friendlyName');
  if (number.status === 'rejected' || renamed.status === 'rejected' || saved.status === 'rejected')
    throw firstFailure([number, renamed, saved]);

  const serviceSid = messagingServiceSid.value;
  // Settled, not raced: a failure here must not leave the registry write running behind the error
  // (stopped() then writes the same item, and the two would race).
  const [stored, pointed, joined] = await Promise.allSettled([
    record.complete(),
    number.value ? pointNumberAt(deps, sid, number.value, appSid.value) : Promise.resolve(),
    number.value && serviceSid
      ? addNumberToMessagingService(deps, account, serviceSid, number.value.sid)
      : Promise.resolve(),
  ]);
  if (stored.status === 'rejected') throw stored.reason;
  if (pointed.status === 'rejected' || joined.status === 'rejected') throw firstFailure([pointed, joined]);
  return stored.value;
}

/**
 * The last steps (the number pointed at the App, and into the Messaging Service) ran beside the
 * registry write, so the registry item alone does not prove them done: a replay runs them again (they
 * are idempotent) while the subaccount is active. A fresh create has one number: a few requests.
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
        await addNumberToMessagingService(
          deps,
          { sid: account.sid, authToken: account.authToken },
          serviceSid,
          number.sid,
        );
      }
    }),
  );
}

function firstFailure(steps: PromiseSettledResult<unknown>[]): unknown {
  return steps.find((step): step is PromiseRejectedResult => step.status === 'rejected')?.reason;
}

const isNumberParameter = (name: string) => (NUMBER_PARAMETERS as readonly string[]).includes(name);

/** One idempotency key means one subaccount: the parameters that shape it, the number's aside, hashed. */
function requestHash(parameters: CreateParameters): string {
  return hashOf(
    Object.entries(parameters).filter(([name]) => name !== 'idempotencyKey' && !isNumberParameter(name)),
  );
}

/** The number parameters, hashed: they may change while the create is unfinished. */
function numberHash(parameters: NumberParameters): string {
  return hashOf(Object.entries(parameters).filter(([name]) => isNumberParameter(name)));
}

function hashOf(entries: [string, unknown][]): string {
  const shape = entries.filter(([, value]) => value !== undefined).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}
