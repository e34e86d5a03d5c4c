import { z } from 'zod';
import { badRequest, conflict } from '../../errors/service-error';
import { emitEvent } from '../../events/emit';
import type { StoredItem } from '../../registry/sync-map-store';
import { sealAuthToken } from '../../registry/tenant-auth-token';
import type { SubaccountRecord } from '../../registry/types';
import { TENANT_MAX_AGE_MS } from '../../registry/tenant-cache';
import { verifyOwnCredentials } from '../../connected/own-credentials';
import type { AdminDeps } from '../deps';
import { accountSid } from '../parameters';
import { authToken } from './auth-token-parameter';
import { runOperation } from '../operations/run-operation';
import { connectedAccount } from './connected-account';

export const updateCredentialsParameters = z.object({ accountSid, authToken });

export type UpdateCredentialsParameters = z.output<typeof updateCredentialsParameters>;

/**
 * Replaces the auth token held for a connected account (its owner changed it in their Console): the
 * new one is checked with one request to Twilio first (a refused one changes nothing: 400
 * `credentials_rejected`), then sealed into the registry item, and a refusal recorded for the old one
 * is cleared. In force at once on this instance, and on every other within TENANT_MAX_AGE_MS (30 s),
 * the age past which the hot paths read the item again (registry/tenant-cache.ts).
 */
export async function updateCredentials(
  deps: AdminDeps,
  parameters: UpdateCredentialsParameters,
): Promise<{ stored: StoredItem<SubaccountRecord>; settlesWithinSeconds: number }> {
  const sid = parameters.accountSid;
  // Held as an operation, so no disconnect or other change of the account runs meanwhile.
  const request = { operation: 'update-credentials', subjects: [sid], payload: { sid } };
  const { value } = await runOperation(deps, request, () => replaceToken(deps, parameters));
  return value;
}

async function replaceToken(
  deps: AdminDeps,
  parameters: UpdateCredentialsParameters,
): Promise<{ stored: StoredItem<SubaccountRecord>; settlesWithinSeconds: number }> {
  const sid = parameters.accountSid;
  const current = await connectedAccount(deps, sid);
  if (current.data.status === 'disconnected') {
    throw conflict('account_disconnected', `${sid} is disconnected; connect it again instead.`);
  }
  const verdict = await verifyOwnCredentials(deps.clients, sid, parameters.authToken);
  if (!verdict.accepted) {
    throw badRequest(
      'credentials_rejected',
      `Twilio refused the auth token given for ${sid} (${verdict.twilioStatus}, error ${verdict.twilioCode}); nothing was changed.`,
      { twilioCode: verdict.twilioCode, parameter: 'authToken' },
    );
  }
  const stored = await deps.registry.update(sid, (record) => ({
    ...record,
    authToken: sealAuthToken(deps.config.registryKeys, sid, parameters.authToken),
    ...(record.connection ? { connection: { ...record.connection, credentialsRejected: null } } : {}),
    updatedAt: deps.now().toISOString(),
  }));
  deps.clients.rememberOwnCredentials(sid, parameters.authToken);
  await emitEvent(deps, 'account.credentials_updated', sid, { friendlyName: stored.data.friendlyName });
  return { stored, settlesWithinSeconds: Math.ceil(TENANT_MAX_AGE_MS / 1000) };
}
