import { z } from 'zod';
import { conflict, invalidParameter, notFound } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import { sealAuthToken } from '../../registry/tenant-auth-token';
import type { EncryptedSecret, SubaccountRecord } from '../../registry/types';
import { fromTwilioError, isTwilioRestError } from '../../twilio/rest-errors';
import type { Adoption } from '../answers';
import { createApiKey, deleteApiKey } from '../api-keys';
import type { AdminDeps } from '../deps';
import { accountSid, cursor, flag, pageSize } from '../parameters';
import { runBounded, timeBudget, type TimeBudget } from '../../twilio/time-budget';
import { twilioCall } from '../twilio-call';
import { alignVoiceApp, createVoiceApp, voiceUrlOf } from '../voice-app';
import { emitSubaccountEvent } from '../../events/subaccount-events';
import { managedItem, registerAdopted } from './adoption-record';
import { findVoiceApp, pointNumberAt } from './creation/parts';
import { subaccountView } from './subaccount-view';

export const adoptParameters = z.object({
  /** Without it, a page of the main account's active subaccounts that are not yet managed. */
  subaccountSid: accountSid.optional(),
  /** Leave every number's voice configuration as it is (it then rings its old Voice URL or App). */
  keepNumberConfig: flag.default(false),
  /** Answer what would change, and change nothing. */
  dryRun: flag.default(false),
  /** Subaccounts per page (the page mode); each one is a few sequential round trips. */
  pageSize: pageSize.max(20, 'must be at most 20').default(5),
  cursor: cursor.optional(),
});

export type AdoptParameters = z.output<typeof adoptParameters>;
export type AdoptOptions = Pick<AdoptParameters, 'keepNumberConfig' | 'dryRun'>;

/** A number of the subaccount as Twilio lists it. */
interface LiveNumber {
  sid: string;
  phoneNumber: string;
  voiceApplicationSid: string | null;
  voiceUrl: string | null;
  voice: boolean;
}

/**
 * Brings an existing subaccount of the main account under this service: a Standard API key, the
 * TwiML App on the shared /voice (an App of this service already there is reused), its voice numbers
 * pointed at that App unless `keepNumberConfig`, and a registry item (status `active`, its numbers, the
 * first voice number as caller ID, `create`'s default settings). The answer reports, number by number,
 * the Voice URL or App it had before. With `dryRun`, the same answer and no change.
 *
 * Idempotent: a subaccount the registry has gets nothing new; only numbers not on its App are pointed
 * (none, after a first call that finished), and the answer carries the same registry item.
 *
 * Bounds (10 s per Function): four round trips, the first four requests in parallel (account, registry
 * item, numbers in one page of 1,000, App by name), then key and App, then the registry item, then the
 * numbers, TWILIO_CONCURRENCY at a time while the time budget lasts; those left over are counted in
 * `numbersRemaining` for a next call.
 */
export async function adoptSubaccount(
  deps: AdminDeps,
  sid: string,
  options: AdoptOptions,
  budget: TimeBudget = timeBudget(),
): Promise<Adoption> {
  if (sid === deps.config.accountSid)
    throw invalidParameter('subaccountSid', 'is the main account itself; give one of its subaccounts');
  const [account, stored, numbers, foundApp] = await Promise.allSettled([
    subaccountOfMain(deps, sid),
    managedItem(deps, sid),
    liveNumbers(deps, sid),
    findVoiceApp(deps, sid),
  ]);
  // The account's refusal first: the others fail too for a subaccount that is not ours.
  if (account.status === 'rejected') throw account.reason;
  if (stored.status === 'rejected') throw stored.reason;
  if (numbers.status === 'rejected') throw numbers.reason;
  if (foundApp.status === 'rejected') throw foundApp.reason;
  const item = stored.value;
  if (item?.data.status === 'provisioning')
    throw conflict(
      'subaccount_provisioning',
      `${sid} is being made by a create that has not finished: retry that create with its idempotencyKey.`,
    );

  const friendlyName = account.value.friendlyName.slice(0, 64);
  const reusable = foundApp.value?.voiceUrl === voiceUrlOf(deps) ? foundApp.value : undefined;
  const planned = plannedAdoption(sid, friendlyName, item, numbers.value, reusable?.sid, options);
  if (options.dryRun) return planned;

  const authToken = sealAuthToken(deps.config.registryKeys, sid, account.value.authToken);
  const registered =
    item ?? (await provision(deps, sid, { friendlyName, authToken }, numbers.value, reusable));
  const appSid = registered.data.twimlAppSid;
  const toPoint = planned.numbers.filter((number) => number.action === 'point');
  const { results } = appSid
    ? await runBounded(
        toPoint,
        async (number) => {
          await pointNumberAt(deps, sid, { ...number, voiceApplicationSid: null }, appSid);
          return number.sid;
        },
        budget,
      )
    : { results: [] };
  const pointed = new Set(results);
  return {
    ...planned,
    apiKey: { action: planned.apiKey.action, sid: registered.data.apiKey?.sid ?? null },
    twimlApp: { action: planned.twimlApp.action, sid: appSid },
    numbers: planned.numbers.map((number) => ({ ...number, pointed: pointed.has(number.sid) })),
    numbersRemaining: toPoint.length - pointed.size,
    subaccount: subaccountView(registered),
  };
}

/** What adopt would do, as a dry run answers it. */
function plannedAdoption(
  sid: string,
  friendlyName: string,
  item: StoredItem<SubaccountRecord> | undefined,
  numbers: LiveNumber[],
  reusableApp: string | undefined,
  options: AdoptOptions,
): Adoption {
  return {
    subaccountSid: sid,
    friendlyName: item?.data.friendlyName ?? friendlyName,
    dryRun: options.dryRun,
    alreadyManaged: item !== undefined,
    apiKey: item ? { action: 'none', sid: item.data.apiKey?.sid ?? null } : { action: 'create', sid: null },
    twimlApp: item
      ? { action: 'none', sid: item.data.twimlAppSid }
      : reusableApp
        ? { action: 'reuse', sid: reusableApp }
        : { action: 'create', sid: null },
    numbers: numbers.map((number) => ({
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

/** The key and App a new registration needs, then its registry item; what a lost race made is undone. */
async function provision(
  deps: AdminDeps,
  sid: string,
  { friendlyName, authToken }: { friendlyName: string; authToken: EncryptedSecret },
  numbers: LiveNumber[],
  reusable: { sid: string; voiceUrl: string | null; statusCallback: string | null } | undefined,
): Promise<StoredItem<SubaccountRecord>> {
  const [apiKey, appSid] = await Promise.allSettled([
    createApiKey(deps, sid),
    reusable ? alignVoiceApp(deps, sid, reusable) : createVoiceApp(deps, sid),
  ]);
  if (apiKey.status === 'rejected') throw apiKey.reason;
  if (appSid.status === 'rejected') {
    // A key whose secret is in no registry item signs nothing: remove it. (An App is found again.)
    await deleteApiKey(deps, sid, apiKey.value.sid).catch(() => undefined);
    throw appSid.reason;
  }
  const voiceNumbers = numbers.filter((number) => number.voice);
  const { stored, raced } = await registerAdopted(deps, sid, {
    friendlyName,
    authToken,
    apiKey: apiKey.value,
    twimlAppSid: appSid.value,
    numbers: numbers.map(({ sid: numberSid, phoneNumber }) => ({ sid: numberSid, phoneNumber })),
    callerId: voiceNumbers[0]?.phoneNumber ?? null,
  }).catch(async (error: unknown) => {
    // The write may have landed with its answer lost: then the item names the key, which must stay.
    const written = await managedItem(deps, sid);
    if (written) return { stored: written, raced: written.data.apiKey?.sid !== apiKey.value.sid };
    await deleteApiKey(deps, sid, apiKey.value.sid).catch(() => undefined);
    throw error;
  });
  if (raced) await discard(deps, sid, apiKey.value.sid, reusable ? undefined : appSid.value, stored);
  else await emitSubaccountEvent(deps, 'subaccount.adopted', stored.data);
  return stored;
}

/** What a call that lost the race to register made: its key, and its App unless the winner uses it. */
async function discard(
  deps: AdminDeps,
  sid: string,
  keySid: string,
  madeAppSid: string | undefined,
  winner: StoredItem<SubaccountRecord>,
): Promise<void> {
  const twilio = deps.clients.actingOn(sid);
  await Promise.all([
    deleteApiKey(deps, sid, keySid),
    madeAppSid && madeAppSid !== winner.data.twimlAppSid
      ? twilioCall(`Deleting TwiML App ${madeAppSid} of ${sid}`, twilio.applications(madeAppSid).remove())
      : undefined,
  ]).catch(() => undefined);
}

/**
 * The subaccount, if it is an active subaccount of the main account. Twilio shows the main credentials
 * their own subaccounts only: another account's SID is refused (401/403) or not found (404), and
 * `owner_account_sid` names the parent (https://www.twilio.com/docs/iam/api/account). Which of 401, 403
 * or 404 Twilio answers for another main account's subaccount is not documented there: all three are
 * taken to mean "not ours".
 */
async function subaccountOfMain(
  deps: AdminDeps,
  sid: string,
): Promise<{ friendlyName: string; authToken: string }> {
  const notOurs = () =>
    notFound('not_a_subaccount', `${sid} is not a subaccount of the main account ${deps.config.accountSid}.`);
  const account = await deps.clients
    .main()
    .api.v2010.accounts(sid)
    .fetch()
    .catch((error: unknown) => {
      if (isTwilioRestError(error) && [401, 403, 404].includes(error.status)) throw notOurs();
      throw fromTwilioError(error, `Fetching ${sid}`);
    });
  if (account.ownerAccountSid !== deps.config.accountSid) throw notOurs();
  if (account.status === 'closed')
    throw conflict('subaccount_closed', `${sid} is closed on Twilio: a closed subaccount cannot be adopted.`);
  if (account.status !== 'active')
    throw conflict(
      'subaccount_not_active',
      `${sid} is ${account.status} on Twilio: reactivate it there first, then adopt it.`,
    );
  return { friendlyName: account.friendlyName, authToken: account.authToken };
}

/** Every number of the subaccount (one page of 1,000, Twilio's largest), with where its calls go. */
async function liveNumbers(deps: AdminDeps, sid: string): Promise<LiveNumber[]> {
  const numbers = await twilioCall(
    `Listing numbers of ${sid}`,
    deps.clients.actingOn(sid).incomingPhoneNumbers.list({ pageSize: 1000 }),
  );
  return numbers.map((number) => ({
    sid: number.sid,
    phoneNumber: number.phoneNumber,
    // Twilio answers "" for an unset field.
    voiceApplicationSid: number.voiceApplicationSid || null,
    voiceUrl: number.voiceUrl || null,
    voice: number.capabilities?.voice !== false,
  }));
}
