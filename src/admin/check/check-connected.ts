import { credentialsRejectedSentence, verifyOwnCredentials } from '../../connected/own-credentials';
import { markCredentialsRejected } from '../../connected/credentials-rejected';
import type { StoredItem } from '../../registry/sync-map-store';
import { openAuthToken } from '../../registry/tenant-auth-token';
import type { SubaccountRecord } from '../../registry/types';
import type { Drift, LiveState } from '../answers';
import { createApiKey } from '../api-keys';
import type { AdminDeps } from '../deps';
import { twilioCall } from '../twilio-call';
import { callStatusUrlOf, createVoiceApp, voiceAppSettings, voiceUrlOf } from '../voice-app';
import { findDrift, pointNumbersAt } from './check';
import { liveState } from '../subaccounts/get';
import { repairUnderRecord, type Checked, type RepairScope } from './repair-under-record';

/**
 * Check (and with `repair`, repair) of a connected account, with its own credentials. First whether
 * Twilio still accepts the token held (one request): refused, that is the one drift reported
 * (`credentials_rejected`, recorded so /token and /voice refuse, and its event sent once), and nothing
 * else can be read. Then what check compares for a subaccount, limited to what this service set up:
 * its API key, its TwiML App, and the numbers connect pointed (the account's other numbers are its
 * owner's). Repair makes a missing key or App anew and points those numbers back; it never touches
 * the account's status or its other numbers.
 */
export async function checkConnected(
  deps: AdminDeps,
  stored: StoredItem<SubaccountRecord>,
  repair: boolean,
  scope: RepairScope,
): Promise<Checked> {
  const record = stored.data;
  const sid = stored.key;
  if (record.status === 'disconnected' || !record.authToken) return { drift: [], stored };
  const token = openAuthToken(deps.config.registryKeys, sid, record.authToken);
  const verdict = await verifyOwnCredentials(deps.clients, sid, token);
  if (!verdict.accepted) {
    const marked = await markCredentialsRejected(deps, sid, verdict.twilioCode);
    const message = `${credentialsRejectedSentence(sid)} (Twilio answered ${verdict.twilioStatus}, error ${verdict.twilioCode}.)`;
    return { drift: [{ code: 'credentials_rejected', message }], stored: marked };
  }
  const account = {
    status: verdict.account.status,
    friendlyName: verdict.account.friendlyName,
    authToken: token,
  };
  const all = await liveState(
    deps,
    sid,
    record.twimlAppSid,
    record.apiKey?.sid ?? null,
    Promise.resolve(account),
  );
  const registered = new Set(record.numbers.map((number) => number.sid));
  const live: LiveState = { ...all, numbers: all.numbers.filter((number) => registered.has(number.sid)) };
  const app = { voiceUrl: voiceUrlOf(deps), callStatusUrl: callStatusUrlOf(deps) };
  const drift = findDrift(record, live, app, deps.now());
  if (!repair || drift.length === 0) return { drift, stored };
  return repairUnderRecord(
    deps,
    { drift, stored },
    scope,
    (current) => repairConnected(deps, current, live, drift),
    (current) => checkConnected(deps, current, repair, { ...scope, held: true }),
  );
}

async function repairConnected(
  deps: AdminDeps,
  stored: StoredItem<SubaccountRecord>,
  live: LiveState,
  drift: Drift[],
): Promise<StoredItem<SubaccountRecord>> {
  const sid = stored.key;
  const has = (code: Drift['code']) => drift.some((item) => item.code === code);
  const twilio = deps.clients.actingOn(sid);
  const [apiKey, appSid] = await Promise.all([
    has('api_key_missing') ? createApiKey(deps, sid) : undefined,
    has('twiml_app_missing') || !live.twimlApp ? createVoiceApp(deps, sid) : live.twimlApp.sid,
    live.twimlApp && (has('twiml_app_voice_url') || has('twiml_app_status_callback'))
      ? twilioCall(
          `Pointing TwiML App ${live.twimlApp.sid} at /voice`,
          twilio.applications(live.twimlApp.sid).update(voiceAppSettings(deps)),
        )
      : undefined,
  ]);
  await pointNumbersAt(deps, sid, live.numbers, appSid);
  const owned = new Set(live.numbers.map((number) => number.sid));
  return deps.registry.update(sid, (record) => ({
    ...record,
    numbers: record.numbers.filter((number) => owned.has(number.sid)),
    ...(apiKey ? { apiKey } : {}),
    twimlAppSid: appSid,
    updatedAt: deps.now().toISOString(),
  }));
}
