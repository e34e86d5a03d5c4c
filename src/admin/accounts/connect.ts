import { z } from 'zod';
import { badRequest, conflict } from '../../errors/service-error';
import { emitEvent } from '../../events/emit';
import { MAX_POINTED_NUMBERS } from '../../registry/schema';
import type { StoredItem } from '../../registry/sync-map-store';
import { sealAuthToken } from '../../registry/tenant-auth-token';
import type { ApiKeyRef, PointedNumber, SubaccountRecord } from '../../registry/types';
import { verifyOwnCredentials } from '../../connected/own-credentials';
import { createApiKey } from '../api-keys';
import type { AdminDeps } from '../deps';
import { withIdempotencyKey } from '../idempotency';
import { runOperation, type OperationContext } from '../operations/run-operation';
import type { HeldOperation } from '../operations/store';
import { runSteps, step, StepFailed } from '../operations/steps';
import { accountSid, flag, friendlyName, idempotencyKey, listOf, phoneNumberSid } from '../parameters';
import { createVoiceApp, voiceUrlOf } from '../voice-app';
import { numbersToPoint, pointNumber } from './pointed-numbers';
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
 * serves those), an account the registry has, credentials Twilio refuses.
 *
 * It runs as one operation (operations/run-operation.ts) on the account's SID, so no other change of
 * it runs meanwhile, and as declared steps (operations/steps.ts) whose progress the operation record
 * keeps: a retry with the same `idempotencyKey` after a failure resumes where it stopped, and one
 * after it finished is answered from the registry (`replayed`). What a failed connect left in the
 * account (a key, an App, pointed numbers) is named by `check` until the retry finishes it.
 */
export async function connectAccount(
  deps: AdminDeps,
  parameters: ConnectParameters,
): Promise<ConnectOutcome> {
  const sid = parameters.accountSid;
  if (sid === deps.config.accountSid) {
    throw conflict('account_is_main', `${sid} is this service's own main account; it cannot be connected.`);
  }
  // The token is not part of what a retry must repeat: a retry after its owner changed it still resumes.
  const { authToken: _token, ...payload } = parameters;
  const request = {
    operation: 'connect',
    subjects: [sid],
    idempotencyKey: parameters.idempotencyKey,
    payload,
    unregistered: true,
  };
  const { value } = await runOperation<ConnectOutcome>(
    deps,
    request,
    (context) => connectHeld(deps, parameters, context),
    {
      keep: () => ({ accountSid: sid }),
      answer: async (_kept, context) => {
        const stored = context.records[0];
        if (!stored) throw conflict('account_not_connected', `${sid} was connected, then removed.`);
        return { dryRun: false, replayed: true, idempotencyKey: context.key, stored };
      },
    },
  );
  return value;
}

async function connectHeld(
  deps: AdminDeps,
  parameters: ConnectParameters,
  context: OperationContext,
): Promise<ConnectOutcome> {
  const sid = parameters.accountSid;
  const existing = context.records[0];
  if (existing && existing.data.status !== 'disconnected') {
    throw conflict(
      'account_already_registered',
      `${sid} is ours already (${existing.data.kind ?? 'subaccount'}, ${existing.data.status}); update-credentials changes a connected account's token.`,
    );
  }
  const name = await verifiedName(deps, parameters);
  deps.clients.rememberOwnCredentials(sid, parameters.authToken);
  try {
    if (parameters.dryRun) return await planOf(deps, parameters, name);
    const [held] = context.held as [HeldOperation];
    const stored = await runConnectSteps(
      deps,
      { ...parameters, friendlyName: name },
      context.key,
      held,
      existing,
    );
    await emitEvent(deps, 'account.connected', sid, {
      friendlyName: name,
      phoneNumbers: (stored.data.connection?.pointedNumbers ?? []).map((number) => number.phoneNumber),
    });
    return { dryRun: false, replayed: false, idempotencyKey: context.key, stored };
  } catch (error) {
    // Until its record exists the token is not ours to use; a registry read of the record brings it back.
    deps.clients.forgetOwnCredentials(sid);
    throw error;
  } finally {
    if (parameters.dryRun) deps.clients.forgetOwnCredentials(sid);
  }
}

/** One request to Twilio with the account's own credentials: refused, or not for us; its name otherwise. */
async function verifiedName(deps: AdminDeps, parameters: ConnectParameters): Promise<string> {
  const sid = parameters.accountSid;
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
  return parameters.friendlyName ?? verdict.account.friendlyName.slice(0, 64);
}

async function planOf(deps: AdminDeps, parameters: ConnectParameters, name: string): Promise<ConnectOutcome> {
  const numbers = await numbersToPoint(deps, parameters.accountSid, parameters.phoneNumberSids ?? []);
  return {
    dryRun: true,
    accountSid: parameters.accountSid,
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

/** What the steps of a connect give; kept as the operation's progress. */
interface ConnectState {
  key: string;
  /** The numbers asked for, with the voice setting each had: read once, before any is pointed. */
  numbers: PointedNumber[];
  apiKey: ApiKeyRef;
  appSid: string;
  numbersPointed: true;
  registered: StoredItem<SubaccountRecord>;
}

const connectStep = step<ConnectState>();

/**
 * The steps: the numbers' settings read, the key and the App made (at once), the numbers pointed, the
 * tenant registered. Each finished step is saved in the operation record, so a retry skips it.
 */
async function runConnectSteps(
  deps: AdminDeps,
  parameters: ConnectParameters & { friendlyName: string },
  key: string,
  held: HeldOperation,
  previous: StoredItem<SubaccountRecord> | undefined,
): Promise<StoredItem<SubaccountRecord>> {
  const sid = parameters.accountSid;
  const steps = [
    connectStep({
      name: 'numbers',
      needs: ['key'],
      gives: ['numbers'],
      run: async () => ({ numbers: await numbersToPoint(deps, sid, parameters.phoneNumberSids ?? []) }),
    }),
    connectStep({
      name: 'apiKey',
      needs: ['key'],
      gives: ['apiKey'],
      run: async () => ({ apiKey: await createApiKey(deps, sid) }),
    }),
    connectStep({
      name: 'twimlApp',
      needs: ['key'],
      gives: ['appSid'],
      run: async () => ({ appSid: await createVoiceApp(deps, sid) }),
    }),
    connectStep({
      name: 'pointNumbers',
      needs: ['numbers', 'appSid'],
      gives: ['numbersPointed'],
      run: async ({ numbers, appSid }) => {
        await Promise.all(numbers.map((number) => pointNumber(deps, sid, number.sid, appSid)));
        return { numbersPointed: true as const };
      },
    }),
    connectStep({
      name: 'registry',
      needs: ['numbers', 'apiKey', 'appSid', 'numbersPointed'],
      gives: ['registered'],
      run: async ({ numbers, apiKey, appSid }) => {
        const record = connectedRecord(deps, parameters, { apiKey, appSid, numbers, key });
        const registered = previous
          ? await deps.registry.replace(sid, previous.revision, record)
          : await deps.registry.create(sid, record);
        return { registered };
      },
    }),
  ];
  const saved = held.resumed ? (held.progress as Partial<ConnectState>) : {};
  try {
    const state = await runSteps(
      steps,
      { ...saved, key },
      {
        done: (_name, _gave, now) => {
          const { key: _key, registered: _registered, ...progress } = now;
          void held.save(progress);
        },
      },
    );
    return state.registered as StoredItem<SubaccountRecord>;
  } catch (error) {
    const cause = error instanceof StepFailed ? error.cause : error;
    throw withIdempotencyKey(cause, key, `Connecting ${sid}`);
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
    authToken: sealAuthToken(deps.config.registryKeys, sid, parameters.authToken),
    connection: { connectedAt: now, pointedNumbers: made.numbers, credentialsRejected: null },
    provisioning: null,
    createdAt: now,
    updatedAt: now,
  };
}
