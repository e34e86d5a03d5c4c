import { z } from 'zod';
import { ServiceError } from '../../errors/service-error';
import type { StoredItem } from '../../registry/sync-map-store';
import type { RegisteredNumber, SubaccountRecord } from '../../registry/types';
import { createApiKey } from '../api-keys';
import { retentionDrift } from '../recordings/retention';
import type { Drift, LiveState } from '../answers';
import type { AdminDeps } from '../deps';
import { accountSid, cursor, flag, pageSize } from '../parameters';
import { keyAfterCursor, registryCursor } from '../registry-cursor';
import { deleteRetiredKeys, dueForDeletion } from '../retired-keys';
import { runBounded, timeBudget } from '../time-budget';
import { twilioCall } from '../twilio-call';
import { callStatusUrlOf, createVoiceApp, voiceAppSettings, voiceUrlOf } from '../voice-app';
import { markedIfDeleted } from './deleted';
import { liveState } from './get';
import { describeProvisioning, howToFinish } from './provisioning';
import { registeredSubaccount } from './registered';
import { activeSubaccounts, unregisteredIn } from './unregistered';

export const checkParameters = z.object({
  /** Without it, a page of the whole registry is checked (`pageSize`, `cursor`). */
  subaccountSid: accountSid.optional(),
  repair: flag.default(false),
  pageSize: pageSize.default(20),
  cursor: cursor.optional(),
});

export type CheckParameters = z.output<typeof checkParameters>;

type DriftCode = Drift['code'];

/** Every difference between the registry and Twilio, as a list a person can read and act on. */
export function findDrift(
  record: SubaccountRecord,
  live: LiveState,
  app: { voiceUrl: string; callStatusUrl: string },
  now: Date,
): Drift[] {
  const { voiceUrl } = app;
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
  if (live.twimlApp && live.twimlApp.statusCallback !== app.callStatusUrl) {
    add(
      'twiml_app_status_callback',
      `TwiML App ${live.twimlApp.sid} reports call ends to ${live.twimlApp.statusCallback ?? 'nothing'}, not ${app.callStatusUrl}: no call.completed events.`,
    );
  }
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
  for (const key of dueForDeletion(record, now)) {
    add('retired_key_due', `Replaced API key ${key.sid} was due for deletion at ${key.retireAfter}.`);
  }
  return drift;
}

/**
 * Compares the registry with Twilio; with `repair`, fixes what can be fixed: the registry follows
 * Twilio for status and numbers, a missing key or App is made anew, the App and numbers are pointed
 * back at /voice, and replaced keys past their time are deleted.
 */
export async function checkSubaccount(deps: AdminDeps, sid: string, repair: boolean) {
  return checkStored(deps, await registeredSubaccount(deps, sid), repair);
}

/**
 * Each check makes four requests at once (account, numbers, App, key): this many subaccounts at a time
 * keep a sweep near TWILIO_CONCURRENCY requests in flight.
 */
const SWEEP_CONCURRENCY = 3;

/**
 * Checks (and with `repair`, repairs) a page of the registry in SID order. Subaccounts it had no time
 * for are left to the next call: `nextCursor` resumes after the last one checked. Beside the page,
 * Twilio's list of the main account's active subaccounts is read (activeSubaccounts: pages of 1,000,
 * within the same 10 s budget) and those the registry does not know, with a SID in the range the page
 * covers, are answered in `unregistered`: a sweep to the last page reports each of them once.
 */
export async function checkAll(deps: AdminDeps, parameters: CheckParameters, budget = timeBudget()) {
  const start = keyAfterCursor(parameters.cursor);
  const [page, twilio] = await Promise.all([
    deps.registry.itemsAfter(start, parameters.pageSize),
    activeSubaccounts(deps, budget),
  ]);
  const { results, notStarted } = await runBounded(
    page.items,
    async (item) => {
      const { drift, stored } = await checkStored(deps, item, parameters.repair);
      const { friendlyName, status } = stored.data;
      return { subaccountSid: stored.key, friendlyName, status, inStep: drift.length === 0, drift };
    },
    budget,
    SWEEP_CONCURRENCY,
  );
  // Items start in order, so those left out are the last ones: resume after the last one checked.
  const resumeAfter = results.at(-1)?.subaccountSid ?? start;
  const more = notStarted.length > 0 || page.more;
  if (more && resumeAfter === undefined)
    throw new ServiceError(503, 'out_of_time', 'No subaccount could be checked in time; call again.');
  const known = new Set(page.items.map((item) => item.key));
  const unregistered = unregisteredIn(twilio.accounts, known, start, more ? resumeAfter : undefined);
  return {
    subaccounts: results,
    unregistered,
    /** False when Twilio's list of subaccounts could not be read to its end in time. */
    unregisteredComplete: twilio.complete,
    inStep: results.every((result) => result.inStep) && unregistered.length === 0,
    ...(more && resumeAfter ? { nextCursor: registryCursor(resumeAfter) } : {}),
  };
}

/**
 * A subaccount Twilio has deleted has nothing left to compare: known as deleted, it is in step; found
 * deleted now (Twilio answered 404), its item is marked so and the change reported, and a sweep carries
 * on with the next one.
 */
async function checkStored(
  deps: AdminDeps,
  stored: StoredItem<SubaccountRecord>,
  repair: boolean,
): Promise<{ drift: Drift[]; stored: StoredItem<SubaccountRecord> }> {
  if (stored.data.status === 'deleted') return { drift: [], stored };
  try {
    return await compareWithTwilio(deps, stored, repair);
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

async function compareWithTwilio(deps: AdminDeps, stored: StoredItem<SubaccountRecord>, repair: boolean) {
  const sid = stored.key;
  const record = stored.data;
  const [live, retention] = await Promise.all([
    liveState(deps, sid, record.twimlAppSid, record.apiKey?.sid ?? null),
    // Recordings past the subaccount's retention are deleted by repair on their own (retention.ts).
    record.status === 'provisioning' ? [] : retentionDrift(deps, record, repair),
  ]);
  const drift = findDrift(
    record,
    live,
    { voiceUrl: voiceUrlOf(deps), callStatusUrl: callStatusUrlOf(deps) },
    deps.now(),
  );
  if (deps.registry.isPreviousLayout(stored)) {
    drift.push({
      code: 'registry_previous_layout',
      message: `The registry holds ${sid} as the previous release wrote it; repair moves it to the current layout.`,
    });
  }
  // An unfinished create is finished by create itself (or numbers/transfer), not by repair.
  if (!repair || drift.length === 0 || record.status === 'provisioning')
    return { drift: [...drift, ...retention], stored };
  const repaired = await repairDrift(deps, stored, live, drift);
  return { drift: [...drift.map((item) => ({ ...item, repaired: true })), ...retention], stored: repaired };
}

async function repairDrift(
  deps: AdminDeps,
  stored: StoredItem<SubaccountRecord>,
  live: LiveState,
  drift: Drift[],
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
  if (appSid && stored.data.status !== 'closed') {
    await Promise.all(
      live.numbers
        .filter((number) => number.voiceApplicationSid !== appSid)
        .map((number) =>
          twilioCall(
            `Pointing ${number.sid} at ${appSid}`,
            twilio.incomingPhoneNumbers(number.sid).update({ voiceApplicationSid: appSid }),
          ),
        ),
    );
  }
  const liveNumbers: RegisteredNumber[] = live.numbers.map(({ sid: numberSid, phoneNumber }) => ({
    sid: numberSid,
    phoneNumber,
  }));
  const owned = new Set(liveNumbers.map((number) => number.phoneNumber));
  // Always a new record, so a record in the previous layout is written (migrated) even with no drift.
  const updated = await deps.registry.update(sid, (record) => ({
    ...record,
    status: live.status as SubaccountRecord['status'],
    numbers: liveNumbers,
    callerId:
      record.callerId && owned.has(record.callerId) ? record.callerId : (liveNumbers[0]?.phoneNumber ?? null),
    inboundRouting: Object.fromEntries(
      Object.entries(record.inboundRouting).filter(([number]) => owned.has(number)),
    ),
    ...(apiKey ? { apiKey } : {}),
    ...(appSid ? { twimlAppSid: appSid } : {}),
    updatedAt: deps.now().toISOString(),
  }));
  return (await deleteRetiredKeys(deps, updated)).stored;
}
