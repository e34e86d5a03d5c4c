import { z } from 'zod';
import { ServiceError } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import { openAuthToken, sealAuthToken } from '../../registry/tenant-auth-token';
import type { RegisteredNumber, SubaccountRecord } from '../../registry/types';
import { createApiKey } from '../api-keys';
import { retentionDrift } from '../recordings/retention';
import type { Drift, LiveState } from '../answers';
import type { AdminDeps } from '../deps';
import { accountSid, cursor, flag, pageSize } from '../parameters';
import { keyAfterCursor, registryCursor } from '../registry-cursor';
import { deleteRetiredKeys, dueForDeletion } from '../retired-keys';
import { runBounded, timeBudget } from '../../twilio/time-budget';
import { twilioCall } from '../twilio-call';
import { callStatusUrlOf, createVoiceApp, voiceAppSettings, voiceUrlOf } from '../voice-app';
import { markedIfDeleted } from '../subaccounts/deleted';
import { checkConnected } from './check-connected';
import { repairUnderRecord, type Checked, type RepairScope, type WhenBusy } from './repair-under-record';
import {
  fetchAccount,
  liveLists,
  liveState,
  liveStateFromLists,
  type AccountFields,
  type LiveLists,
} from '../subaccounts/get';
import { itemParameters, itemParametersRule, readForCheck, registryIntegrity } from './check-items';
import { describeProvisioning, howToFinish } from '../provisioning';
import { registeredSubaccount } from '../subaccounts/registered';
import { subaccountsOnTwilio, unregisteredIn } from '../subaccounts/unregistered';

export const checkParameters = z
  .object({
    /** Without it, a page of the whole registry is checked (`pageSize`, `cursor`). */
    subaccountSid: accountSid.optional(),
    repair: flag.default(false),
    pageSize: pageSize.default(20),
    cursor: cursor.optional(),
    ...itemParameters,
  })
  .superRefine(itemParametersRule);

export type CheckParameters = z.output<typeof checkParameters>;

type DriftCode = Drift['code'];

/** What differs between the registered API key and TwiML App and Twilio's. */
function appDrift(
  record: SubaccountRecord,
  live: LiveState,
  { voiceUrl, callStatusUrl }: { voiceUrl: string; callStatusUrl: string },
): Drift[] {
  const drift: Drift[] = [];
  const add = (code: DriftCode, message: string) => drift.push({ code, message });
  if (!live.apiKeyExists)
    add('api_key_missing', `API key ${record.apiKey?.sid ?? '(none)'} does not exist on Twilio.`);
  if (!live.twimlApp) {
    add('twiml_app_missing', `TwiML App ${record.twimlAppSid ?? '(none)'} does not exist on Twilio.`);
  } else if (live.twimlApp.voiceUrl !== voiceUrl) {
    add(
      'twiml_app_voice_url',
      `TwiML App ${live.twimlApp.sid} posts to ${live.twimlApp.voiceUrl ?? 'nothing'}, not ${voiceUrl}.`,
    );
  }
  if (live.twimlApp && live.twimlApp.statusCallback !== callStatusUrl) {
    add(
      'twiml_app_status_callback',
      `TwiML App ${live.twimlApp.sid} reports call ends to ${live.twimlApp.statusCallback ?? 'nothing'}, not ${callStatusUrl}: no call.completed events.`,
    );
  }
  return drift;
}

/** What differs between the registered numbers and those Twilio says the subaccount owns. */
function numberDrift(record: SubaccountRecord, live: LiveState): Drift[] {
  const drift: Drift[] = [];
  const add = (code: DriftCode, message: string) => drift.push({ code, message });
  const liveSids = new Set(live.numbers.map((number) => number.sid));
  const registered = new Set(record.numbers.map((number) => number.sid));
  for (const number of record.numbers) {
    if (!liveSids.has(number.sid))
      add('number_missing', `${number.phoneNumber} (${number.sid}) is registered but not owned on Twilio.`);
  }
  for (const number of live.numbers) {
    if (!registered.has(number.sid))
      add(
        'number_unregistered',
        `${number.phoneNumber} (${number.sid}) is owned on Twilio but not registered.`,
      );
    if (live.twimlApp && number.voiceApplicationSid !== live.twimlApp.sid) {
      add(
        'number_not_on_app',
        `${number.phoneNumber} (${number.sid}) is not pointed at TwiML App ${live.twimlApp.sid}.`,
      );
    }
  }
  return drift;
}

/** Every difference between the registry and Twilio, as a list a person can read and act on. */
export function findDrift(
  record: SubaccountRecord,
  live: LiveState,
  app: { voiceUrl: string; callStatusUrl: string },
  now: Date,
): Drift[] {
  const drift: Drift[] = [];
  const add = (code: DriftCode, message: string) => drift.push({ code, message });
  if (record.status === 'provisioning') {
    // Active on Twilio while its create is unfinished: what the create lacks is the difference.
    add(
      'provisioning_unfinished',
      `Its create has not finished (${describeProvisioning(record.provisioning)}); ${howToFinish(record)}.`,
    );
    if (live.status !== 'active')
      add('status_differs', `Twilio says ${live.status}, the registry says provisioning.`);
    return drift;
  }
  if (live.status !== record.status) {
    add('status_differs', `Twilio says ${live.status}, the registry says ${record.status}.`);
  }
  if (record.status === 'closed') return drift;
  drift.push(...appDrift(record, live, app), ...numberDrift(record, live));
  for (const key of dueForDeletion(record, now)) {
    add('retired_key_due', `Replaced API key ${key.sid} was due for deletion at ${key.retireAfter}.`);
  }
  return drift;
}

/**
 * Compares the registry with Twilio; with `repair`, fixes what can be fixed: the registry follows
 * Twilio for status, numbers and the copy of the auth token, a missing key or App is made anew, the App
 * and numbers are pointed back at /voice, and replaced keys past their time are deleted.
 */
export async function checkSubaccount(
  deps: AdminDeps,
  sid: string,
  parameters: Pick<CheckParameters, 'repair' | 'migrateUnsigned' | 'resealItem'>,
) {
  const { repair, migrateUnsigned, resealItem } = parameters;
  const integrity = registryIntegrity(deps);
  if (migrateUnsigned) await integrity.requireMigrationOpen();
  if (resealItem) await integrity.resealOne(sid, resealItem);
  const summary = await deps.registry.summarySeal(sid);
  const { stored, findings } = await readForCheck(deps, sid, summary, {
    repair,
    migrateUnsigned,
    sweep: true,
  });
  if (stored) return { ...(await checkStored(deps, stored, repair, 'refuse')), findings };
  // Refused: the answer get and the hot paths give, naming the item; or not ours at all (404).
  const refused = findings.find((finding) => finding.code === 'registry_item_invalid' && !finding.repaired);
  if (refused) {
    throw new ServiceError(500, 'registry_item_invalid', refused.message, { item: refused.item });
  }
  return { ...(await checkStored(deps, await registeredSubaccount(deps, sid), repair, 'refuse')), findings };
}

/**
 * Subaccounts a sweep checks at once. Each makes four requests at once: one registry read (its own
 * Sync Map) and three Twilio lists (its numbers, Apps and keys; its account comes from the one Accounts
 * list of the sweep), so a sweep keeps at most 4 x 12 = 48 requests in flight. Twilio bounds the REST requests
 * one account has in flight at once and answers 429 past it (error 20429,
 * https://www.twilio.com/docs/api/errors/20429; the client retries those, twilio/rest-settings.ts); its
 * pages do not give the number, which is commonly reported as 100 by default (not confirmed on a page of
 * Twilio's), so a sweep takes about half and leaves the rest to the hot paths and other instances. At
 * 150 ms a request, a page of 100 subaccounts is 9 waves of one round trip: under 1.5 s of the 10 s a
 * Function may run, plus the work of reading the answers (`npm run bench scale`).
 */
const SWEEP_SUBACCOUNTS_AT_ONCE = 12;

/**
 * Checks (and with `repair`, repairs) a page of the registry in SID order. Subaccounts it had no time
 * for are left to the next call: `nextCursor` resumes after the last one checked. Requests per
 * subaccount: its record (one Sync read of its Map), its numbers, its TwiML App and its API key (three
 * Twilio reads that no list of the main account can stand in for: each is a resource of the
 * subaccount); the account itself (status, name, auth token) comes from Twilio's list of the main
 * account's subaccounts, read once beside the page (pages of 1,000, within the same 10 s budget), which
 * also names the active subaccounts the registry does not know, with a SID in the range the page
 * covers (`unregistered`: a sweep to the last page reports each of them once). A subaccount missing from
 * that list is fetched on its own (Twilio deleted it, or the list was cut short).
 */
export async function checkAll(deps: AdminDeps, parameters: CheckParameters, budget = timeBudget()) {
  const start = keyAfterCursor(parameters.cursor);
  const { repair, migrateUnsigned } = parameters;
  const integrity = registryIntegrity(deps);
  if (migrateUnsigned) await integrity.requireMigrationOpen();
  const [page, twilio] = await Promise.all([
    deps.registry.summariesAfter(start, parameters.pageSize),
    subaccountsOnTwilio(deps, budget),
  ]);
  const onTwilio = new Map(twilio.accounts.map((account) => [account.sid, account]));
  // Summaries that do not verify are swept too: they are reported, and an unsigned one migrated.
  const keys = [
    ...page.items.map((item) => ({ key: item.key, seal: { kid: item.kid, item } })),
    ...page.invalid.map(({ key, fault }) => ({ key, seal: { fault } })),
  ].sort((a, b) => (a.key < b.key ? -1 : 1));
  const { results, notStarted } = await runBounded(
    keys,
    async ({ key, seal }) => {
      const listed = onTwilio.get(key);
      // Its lists go beside the record's read; a failure of theirs is met (and reported) in checkStored.
      const lists = listed ? liveLists(deps, key) : undefined;
      const [{ stored, findings }] = await Promise.all([
        readForCheck(deps, key, seal, { repair, migrateUnsigned }),
        lists?.catch(() => undefined),
      ]);
      // A summary whose create was cut short (no `account` item yet) is passed over until its retry; a
      // refused record is reported by its findings, and the sweep goes on.
      if (!stored) return { key, findings };
      const seen = listed && lists ? { account: listed, lists } : undefined;
      const { drift, stored: checked } = await checkStored(deps, stored, parameters.repair, 'report', seen);
      const { friendlyName, status } = checked.data;
      return {
        key,
        findings,
        result: { subaccountSid: checked.key, friendlyName, status, inStep: drift.length === 0, drift },
      };
    },
    budget,
    SWEEP_SUBACCOUNTS_AT_ONCE,
  );
  const checked = results.flatMap(({ result }) => (result ? [result] : []));
  // Items start in order, so those left out are the last ones: resume after the last one started.
  const resumeAfter = results.at(-1)?.key ?? start;
  const more = notStarted.length > 0 || page.more;
  if (more && resumeAfter === undefined)
    throw new ServiceError(503, 'out_of_time', 'No subaccount could be checked in time; call again.');
  const known = new Set(checked.map((result) => result.subaccountSid));
  const active = twilio.accounts.filter((account) => account.status === 'active');
  const unregistered = unregisteredIn(active, known, start, more ? resumeAfter : undefined);
  const registryItems = results.flatMap(({ findings }) => findings);
  // The last page of a migrating sweep: every item has been signed once, and never again unattended.
  if (migrateUnsigned && !more) await integrity.closeMigration(deps.now());
  return {
    subaccounts: checked,
    unregistered,
    /** False when Twilio's list of subaccounts could not be read to its end in time. */
    unregisteredComplete: twilio.complete,
    ...(registryItems.length > 0 ? { registryItems } : {}),
    inStep:
      checked.every((result) => result.inStep) &&
      unregistered.length === 0 &&
      registryItems.every((finding) => finding.repaired),
    ...(more && resumeAfter ? { nextCursor: registryCursor(resumeAfter) } : {}),
  };
}

/**
 * A subaccount Twilio has deleted has nothing left to compare: known as deleted, it is in step; found
 * deleted now (Twilio answered 404), its item is marked so and the change reported, and a sweep carries
 * on with the next one. `seen`: what a sweep read of it beside its record, if anything.
 */
async function checkStored(
  deps: AdminDeps,
  stored: StoredItem<SubaccountRecord>,
  repair: boolean,
  whenBusy: WhenBusy,
  seen?: SweptParts,
): Promise<Checked> {
  if (stored.data.status === 'deleted') return { drift: [], stored };
  const scope: RepairScope = { whenBusy };
  if (stored.data.kind === 'connected') return checkConnected(deps, stored, repair, scope);
  try {
    const [compared, retention] = await Promise.all([
      compareWithTwilio(deps, stored, repair, seen, scope),
      // Recordings past the subaccount's retention are deleted by repair on their own (retention.ts).
      stored.data.status === 'provisioning' ? [] : retentionDrift(deps, stored.data, repair),
    ]);
    return { ...compared, drift: [...compared.drift, ...retention] };
  } catch (error) {
    const deleted = await markedIfDeleted(deps, stored, error);
    if (!deleted) throw error;
    const drift: Drift = {
      code: 'subaccount_deleted',
      message: `Twilio has deleted ${stored.key} (it does so 30 days after closure); the registry now says deleted.`,
      repaired: true,
    };
    return { drift: [drift], stored: deleted };
  }
}

/** A subaccount as a sweep read it beside its record: its account from the Accounts list, its lists. */
interface SweptParts {
  account: AccountFields;
  lists: Promise<LiveLists>;
}

async function compareWithTwilio(
  deps: AdminDeps,
  stored: StoredItem<SubaccountRecord>,
  repair: boolean,
  seen: SweptParts | undefined,
  scope: RepairScope,
): Promise<Checked> {
  const sid = stored.key;
  const record = stored.data;
  const appSid = record.twimlAppSid;
  const keySid = record.apiKey?.sid ?? null;
  const account = seen ? Promise.resolve(seen.account) : fetchAccount(deps, sid);
  const live = await (seen
    ? seen.lists.then((lists) => liveStateFromLists(deps, sid, lists, appSid, keySid, seen.account))
    : liveState(deps, sid, appSid, keySid, account));
  const drift = findDrift(
    record,
    live,
    { voiceUrl: voiceUrlOf(deps), callStatusUrl: callStatusUrlOf(deps) },
    deps.now(),
  );
  const authToken = (await account).authToken;
  const settled = record.status !== 'closed' && record.status !== 'provisioning';
  if (settled && !holdsAuthToken(deps, record, authToken)) {
    drift.push(
      record.authToken
        ? {
            code: 'auth_token_rotated',
            message: `The registry's copy of ${sid}'s auth token is not the one Twilio has (rotated since); repair replaces the copy, as the first webhook signed with the new token does.`,
          }
        : {
            code: 'auth_token_outdated',
            message: `The registry keeps no copy of ${sid}'s auth token (an item written without one); a cold /voice asks Twilio for it until repair adds it.`,
          },
    );
  }
  if (deps.registry.isPreviousLayout(stored)) {
    drift.push({
      code: 'registry_previous_layout',
      message: `The registry keeps number items of ${sid} under the raw number; repair moves them to their current keys.`,
    });
  }
  // An unfinished create is finished by create itself (or numbers/transfer), not by repair.
  if (!repair || drift.length === 0 || record.status === 'provisioning') return { drift, stored };
  return repairUnderRecord(
    deps,
    { drift, stored },
    scope,
    (current) => repairDrift(deps, current, live, drift, authToken),
    (current) => compareWithTwilio(deps, current, repair, undefined, { ...scope, held: true }),
  );
}

/** Whether the record's copy of the auth token is Twilio's (a copy that does not decrypt is not). */
function holdsAuthToken(deps: AdminDeps, record: SubaccountRecord, authToken: string): boolean {
  if (!record.authToken) return false;
  try {
    return openAuthToken(deps.config.registryKeys, record.sid, record.authToken) === authToken;
  } catch {
    return false;
  }
}

async function repairDrift(
  deps: AdminDeps,
  stored: StoredItem<SubaccountRecord>,
  live: LiveState,
  drift: Drift[],
  authToken: string,
) {
  const sid = stored.key;
  const has = (code: DriftCode) => drift.some((item) => item.code === code);
  const twilio = deps.clients.actingOn(sid);
  const [apiKey, appSid] = await Promise.all([
    has('api_key_missing') ? createApiKey(deps, sid) : undefined,
    has('twiml_app_missing') ? createVoiceApp(deps, sid) : live.twimlApp?.sid,
    (has('twiml_app_voice_url') || has('twiml_app_status_callback')) && live.twimlApp
      ? twilioCall(
          `Pointing TwiML App ${live.twimlApp.sid} at /voice`,
          twilio.applications(live.twimlApp.sid).update(voiceAppSettings(deps)),
        )
      : undefined,
  ]);
  if (appSid && stored.data.status !== 'closed') await pointNumbersAt(deps, sid, live.numbers, appSid);
  const liveNumbers: RegisteredNumber[] = live.numbers.map(({ sid: numberSid, phoneNumber }) => ({
    sid: numberSid,
    phoneNumber,
  }));
  const owned = new Set(liveNumbers.map((number) => number.phoneNumber));
  // Always a new record, so number items under the raw number are moved even with no other drift.
  const updated = await deps.registry.update(sid, (record) => ({
    ...record,
    status: live.status as SubaccountRecord['status'],
    numbers: liveNumbers,
    callerId:
      record.callerId && owned.has(record.callerId) ? record.callerId : (liveNumbers[0]?.phoneNumber ?? null),
    inboundRouting: Object.fromEntries(
      [
        // A number back from away (moved in by other means than numbers/transfer) is routed as it was.
        ...(record.awayRouting ?? []).map((away) => [away.phoneNumber, away.identities] as const),
        ...Object.entries(record.inboundRouting),
      ].filter(([number]) => owned.has(number)),
    ),
    ...(apiKey ? { apiKey } : {}),
    ...(appSid ? { twimlAppSid: appSid } : {}),
    ...(has('auth_token_outdated') || has('auth_token_rotated')
      ? { authToken: sealAuthToken(deps.config.registryKeys, sid, authToken) }
      : {}),
    updatedAt: deps.now().toISOString(),
  }));
  return (await deleteRetiredKeys(deps, updated)).stored;
}

/** Points every number of the account that is not on its App at it, together. */
export async function pointNumbersAt(
  deps: AdminDeps,
  sid: string,
  numbers: LiveState['numbers'],
  appSid: string,
): Promise<void> {
  const twilio = deps.clients.actingOn(sid);
  await Promise.all(
    numbers
      .filter((number) => number.voiceApplicationSid !== appSid)
      .map((number) =>
        twilioCall(
          `Pointing ${number.sid} at ${appSid}`,
          twilio.incomingPhoneNumbers(number.sid).update({ voiceApplicationSid: appSid }),
        ),
      ),
  );
}
