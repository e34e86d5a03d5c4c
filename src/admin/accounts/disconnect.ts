import { z } from 'zod';
import { conflict } from '../../errors/service-error';
import { emitEvent } from '../../events/emit';
import type { StoredItem } from '../../registry/sync-map-store';
import type { PointedNumber, SubaccountRecord } from '../../registry/types';
import { credentialsRejected, verifyOwnCredentials } from '../../connected/own-credentials';
import { openAuthToken } from '../../registry/tenant-auth-token';
import { deleteApiKey } from '../api-keys';
import type { AdminDeps } from '../deps';
import { accountSid } from '../parameters';
import { connectedAccount } from './connected-account';
import { runOperation } from '../operations/run-operation';
import { restoreNumber } from './pointed-numbers';
import { deleteVoiceApp } from './voice-app-removal';

export const disconnectParameters = z
  .object({
    accountSid,
    /** Must repeat the SID, as close does: our App and key are deleted. */
    confirm: z.string({ message: 'must repeat accountSid: disconnecting deletes our App and API key there' }),
  })
  .refine((value) => value.confirm === value.accountSid, {
    path: ['confirm'],
    message: 'must equal accountSid: disconnecting deletes our App and API key there',
  });

export type DisconnectParameters = z.output<typeof disconnectParameters>;

export interface DisconnectOutcome {
  stored: StoredItem<SubaccountRecord>;
  /** Numbers put back as they were before connect. */
  numbersRestored: PointedNumber[];
  /** Numbers left alone: their owner re-pointed or released them since connect. */
  numbersLeft: PointedNumber[];
  deletedApiKeySids: string[];
  deletedTwimlAppSid: string | null;
}

/**
 * Stops serving a connected account, with its own credentials: each number connect pointed goes back
 * to the voice setting it had (unless its owner changed it since), our TwiML App and API keys are
 * deleted, and the registry item says `disconnected`, without the auth token. Nothing else in the
 * account is touched: its numbers, calls, recordings and bill stay its owner's. Idempotent: a second
 * call finds it disconnected and answers the same. A token Twilio refuses is refused here first
 * (update the credentials, then disconnect), since nothing could be taken back without it.
 */
export async function disconnectAccount(
  deps: AdminDeps,
  parameters: DisconnectParameters,
): Promise<DisconnectOutcome> {
  const sid = parameters.accountSid;
  const request = { operation: 'disconnect', subjects: [sid], payload: { sid } };
  const { value } = await runOperation(deps, request, () => disconnectHeld(deps, sid));
  return value;
}

async function disconnectHeld(deps: AdminDeps, sid: string): Promise<DisconnectOutcome> {
  const stored = await connectedAccount(deps, sid);
  const record = stored.data;
  const none = { numbersRestored: [], numbersLeft: [], deletedApiKeySids: [], deletedTwimlAppSid: null };
  if (record.status === 'disconnected') return { stored, ...none };
  if (!record.authToken) throw conflict('account_not_connected', `${sid} holds no credentials.`);
  const token = openAuthToken(deps.config.registryKeys, sid, record.authToken);
  const verdict = await verifyOwnCredentials(deps.clients, sid, token);
  if (!verdict.accepted) throw credentialsRejected(sid, verdict.twilioCode);

  const pointed = record.connection?.pointedNumbers ?? [];
  const restored = await Promise.all(
    pointed.map((number) => restoreNumber(deps, sid, number, record.twimlAppSid)),
  );
  const keys = [record.apiKey, ...record.retiringApiKeys].flatMap((key) => (key ? [key.sid] : []));
  await Promise.all([
    ...keys.map((keySid) => deleteApiKey(deps, sid, keySid)),
    record.twimlAppSid ? deleteVoiceApp(deps, sid, record.twimlAppSid) : undefined,
  ]);
  const now = deps.now().toISOString();
  const updated = await deps.registry.update(sid, (current) => {
    const { authToken: _forgotten, ...rest } = current;
    return {
      ...rest,
      status: 'disconnected',
      apiKey: null,
      retiringApiKeys: [],
      twimlAppSid: null,
      ...(current.connection ? { connection: { ...current.connection, disconnectedAt: now } } : {}),
      updatedAt: now,
    };
  });
  deps.clients.forgetOwnCredentials(sid);
  await emitEvent(deps, 'account.disconnected', sid, { friendlyName: record.friendlyName });
  return {
    stored: updated,
    numbersRestored: pointed.filter((_, index) => restored[index]),
    numbersLeft: pointed.filter((_, index) => !restored[index]),
    deletedApiKeySids: keys,
    deletedTwimlAppSid: record.twimlAppSid,
  };
}
