import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { badRequest, conflict } from '../../errors/service-error';
import { emitEvent } from '../../events/emit';
import { MAX_POINTED_NUMBERS } from '../../registry/schema';
import type { StoredItem } from '../../registry/sync-map-store';
import { sealAuthToken } from '../../registry/tenant-auth-token';
import type { ApiKeyRef, PointedNumber, SubaccountRecord } from '../../registry/types';
import { verifyOwnCredentials } from '../../connected/own-credentials';
import { createApiKey, deleteApiKey } from '../api-keys';
import type { AdminDeps } from '../deps';
import { withIdempotencyKey } from '../idempotency';
import { accountSid, flag, friendlyName, idempotencyKey, listOf, phoneNumberSid } from '../parameters';
import { createVoiceApp, voiceUrlOf } from '../voice-app';
import { deleteVoiceApp } from './voice-app-removal';
import { numbersToPoint, pointNumber, restoreNumber } from './pointed-numbers';
import { authToken } from './auth-token-parameter';

export const connectParameters = z.object({
  /** The customer's own account (or a subaccount of their own master account). */
  accountSid,
  authToken,
  /** Our name for the tenant; without it, the account's own friendly name. */
  friendlyName: friendlyName.optional(),
  /** Numbers of that account to point at our TwiML App; each one's voice setting is kept to restore. */
  phoneNumberSids: listOf(phoneNumberSid)
    .pipe(z.array(z.string()).max(MAX_POINTED_NUMBERS, `must be at most ${MAX_POINTED_NUMBERS} numbers`))
    .optional(),
  idempotencyKey: idempotencyKey.optional(),
  /** Check the credentials and answer the plan; nothing is made or changed. */
  dryRun: flag.default(false),
});

export type ConnectParameters = z.output<typeof connectParameters>;

export interface ConnectPlan {
  apiKey: 'create';
  twimlApp: { action: 'create'; voiceUrl: string };
  numbers: {
    sid: string;
    phoneNumber: string;
    before: Omit<PointedNumber, 'sid' | 'phoneNumber'>;
    action: 'point';
  }[];
}

export type ConnectOutcome =
  | { dryRun: true; accountSid: string; friendlyName: string; plan: ConnectPlan }
  | { dryRun: false; replayed: boolean; idempotencyKey: string; stored: StoredItem<SubaccountRecord> };

/**
 * Connects a customer's own Twilio account: checks the SID and token with one request to Twilio, then
 * makes inside that account, with its own credentials, what create makes in a subaccount (a Standard
 * API key for its tokens, a TwiML App on our /voice with its StatusCallback), points the numbers asked
 * for at the App (keeping each one's voice setting for disconnect), and registers it as `connected`
 * with its token sealed. Refused with nothing made: our main account, one of its subaccounts (adopt
 * serves those), an account the registry has already, credentials Twilio refuses.
 *
 * Idempotent by `idempotencyKey`: a retry of a connect that finished answers it again (`replayed`);
 * one that failed part-way has taken back what it made (best effort: a key or App left behind by a
 * lost answer is named by check) and a retry starts afresh.
 */
export async function connectAccount(
  deps: AdminDeps,
  parameters: ConnectParameters,
): Promise<ConnectOutcome> {
  const sid = parameters.accountSid;
  const key = parameters.idempotencyKey ?? randomUUID();
  if (sid === deps.config.accountSid) {
    throw conflict('account_is_main', `${sid} is this service's own main account; it cannot be connected.`);
  }
  const existing = await deps.registry.get(sid);
  if (existing && existing.data.status !== 'disconnected') {
    if (existing.data.kind === 'connected' && existing.data.idempotencyKey === key && !parameters.dryRun)
      return { dryRun: false, replayed: true, idempotencyKey: key, stored: existing };
    throw conflict(
      'account_already_registered',
      `${sid} is ours already (${existing.data.kind ?? 'subaccount'}, ${existing.data.status}); update-credentials changes a connected account's token.`,
    );
  }
  const verdict = await verifyOwnCredentials(deps.clients, sid, parameters.authToken);
  if (!verdict.accepted) {
    throw badRequest(
      'credentials_rejected',
      `Twilio refused the Account SID and auth token given for ${sid} (${verdict.twilioStatus}, error ${verdict.twilioCode}); check both in that account's Console.`,
      { twilioCode: verdict.twilioCode, parameter: 'authToken' },
    );
  }
  if (verdict.account.ownerAccountSid === deps.config.accountSid) {
    throw conflict(
      'subaccount_of_ours',
      `${sid} is a subaccount of this service's main account: adopt it (/admin/subaccounts/adopt) instead.`,
    );
  }
  if (verdict.account.status !== 'active') {
    throw conflict(
      'account_not_active',
      `${sid} is ${verdict.account.status} on Twilio; only an active account can be connected.`,
    );
  }
  const name = parameters.friendlyName ?? verdict.account.friendlyName.slice(0, 64);
  deps.clients.rememberOwnCredentials(sid, parameters.authToken);
  try {
    const numbers = await numbersToPoint(deps, sid, parameters.phoneNumberSids ?? []);
    if (parameters.dryRun) {
      return {
        dryRun: true,
        accountSid: sid,
        friendlyName: name,
        plan: {
          apiKey: 'create',
          twimlApp: { action: 'create', voiceUrl: voiceUrlOf(deps) },
          numbers: numbers.map(({ sid: numberSid, phoneNumber, ...before }) => ({
            sid: numberSid,
            phoneNumber,
            before,
            action: 'point' as const,
          })),
        },
      };
    }
    const stored = await provision(deps, { ...parameters, friendlyName: name }, numbers, key, existing);
    await emitEvent(deps, 'account.connected', sid, {
      friendlyName: name,
      phoneNumbers: numbers.map((number) => number.phoneNumber),
    });
    return { dryRun: false, replayed: false, idempotencyKey: key, stored };
  } finally {
    // Until its record exists (or when it failed), the token is not ours to use; a registry read of
    // the record remembers it again.
    if (parameters.dryRun) deps.clients.forgetOwnCredentials(sid);
  }
}

/** Makes the key and App, points the numbers, registers the account; on a failure takes back what it made. */
async function provision(
  deps: AdminDeps,
  parameters: ConnectParameters & { friendlyName: string },
  numbers: PointedNumber[],
  key: string,
  previous: StoredItem<SubaccountRecord> | undefined,
): Promise<StoredItem<SubaccountRecord>> {
  const sid = parameters.accountSid;
  const made: { apiKey?: ApiKeyRef; appSid?: string; pointed: PointedNumber[] } = { pointed: [] };
  try {
    const [apiKey, appSid] = await Promise.all([createApiKey(deps, sid), createVoiceApp(deps, sid)]);
    Object.assign(made, { apiKey, appSid });
    for (const number of numbers) {
      await pointNumber(deps, sid, number.sid, appSid);
      made.pointed.push(number);
    }
    const record = connectedRecord(deps, parameters, { apiKey, appSid, numbers, key });
    return previous
      ? await deps.registry.replace(sid, previous.revision, record)
      : await deps.registry.create(sid, record);
  } catch (error) {
    await takeBack(deps, sid, made);
    deps.clients.forgetOwnCredentials(sid);
    throw withIdempotencyKey(error, key, `Connecting ${sid}`);
  }
}

function connectedRecord(
  deps: AdminDeps,
  parameters: ConnectParameters & { friendlyName: string },
  made: { apiKey: ApiKeyRef; appSid: string; numbers: PointedNumber[]; key: string },
): SubaccountRecord {
  const now = deps.now().toISOString();
  const sid = parameters.accountSid;
  return {
    sid,
    kind: 'connected',
    friendlyName: parameters.friendlyName,
    status: 'active',
    apiKey: made.apiKey,
    retiringApiKeys: [],
    twimlAppSid: made.appSid,
    numbers: made.numbers.map(({ sid: numberSid, phoneNumber }) => ({ sid: numberSid, phoneNumber })),
    callerId: made.numbers[0]?.phoneNumber ?? null,
    inboundRouting: {},
    recording: false,
    messagingServiceSid: null,
    idempotencyKey: made.key,
    authToken: sealAuthToken(deps.config.registryEncryptionKey, sid, parameters.authToken),
    connection: { connectedAt: now, pointedNumbers: made.numbers, credentialsRejected: null },
    provisioning: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Best effort: a failure here is left for check to name; the original error is what the caller hears. */
async function takeBack(
  deps: AdminDeps,
  sid: string,
  made: { apiKey?: ApiKeyRef; appSid?: string; pointed: PointedNumber[] },
): Promise<void> {
  const appSid = made.appSid ?? null;
  await Promise.allSettled(made.pointed.map((number) => restoreNumber(deps, sid, number, appSid)));
  await Promise.allSettled([
    made.apiKey ? deleteApiKey(deps, sid, made.apiKey.sid) : undefined,
    made.appSid ? deleteVoiceApp(deps, sid, made.appSid) : undefined,
  ]);
}
