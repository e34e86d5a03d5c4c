import { cacheScope } from '../cache/cache-scope';
import { sharedCache, type Cached } from '../cache/shared-cache';
import type { ServiceConfig } from '../config/config';
import { logger } from '../log/logger';
import { openAuthToken, sealAuthToken } from '../registry/tenant-auth-token';
import { TENANT_MAX_AGE_MS } from '../registry/tenant-cache';
import type { TenantAccount } from '../registry/subaccount-registry';
import type { EncryptedSecret } from '../registry/types';
import { twilioClients } from '../twilio/clients';
import { fromTwilioError } from '../twilio/rest-errors';
import type { SigningTokens } from '../webhooks/verify-webhook';

/**
 * Per tenant and instance, the least time between two reads of its auth token from Twilio (GET
 * /Accounts/{sid}, which answers a subaccount's token to the main account): a request whose signature
 * does not verify asks for one, so forged requests for a tenant cost at most one Accounts read per
 * this window per instance, and no Sync read at all. Genuine requests never wait on it: they verify
 * with the token held.
 */
export const TOKEN_REREAD_COOLDOWN_MS = 2_000;

const log = logger('voice');

/**
 * Twilio's answer per tenant, with when it was asked for. Kept for TENANT_MAX_AGE_MS: until then it
 * outranks a copy read before it (see `signingTokensOf`); after that every `account` item held was read
 * since, so the copy is at least as new.
 */
const twilioTokensOf = (config: ServiceConfig) =>
  sharedCache<string>(`tenant.twilio-auth-token:${cacheScope(config)}`, {
    lifetime: () => ({ freshMs: TOKEN_REREAD_COOLDOWN_MS, maxAgeMs: TENANT_MAX_AGE_MS }),
    failureMs: () => TOKEN_REREAD_COOLDOWN_MS,
    refreshRetryMs: TOKEN_REREAD_COOLDOWN_MS,
    maxEntries: 10_000,
  });

// Opened once per registry read of the `account` item (a new read brings a new object).
const openedCopies = new WeakMap<EncryptedSecret, string | undefined>();

function openCopy(config: ServiceConfig, sid: string, sealed: EncryptedSecret | undefined) {
  if (!sealed) return undefined;
  if (!openedCopies.has(sealed)) {
    let token: string | undefined;
    try {
      token = openAuthToken(config.registryKeys, sid, sealed);
    } catch {
      // A copy that does not open is no copy: the token is read from Twilio, and the copy replaced.
    }
    openedCopies.set(sealed, token);
  }
  return openedCopies.get(sealed);
}

const MAIN_ACCOUNT_REREAD = () => Promise.resolve(undefined);

/**
 * The tokens a webhook for `sid` is checked with, from what is held (no read), and how to read it
 * afresh when they do not verify:
 * - the main account: its token from the configuration;
 * - a tenant: the newer of the copy in its `account` item (sealed, read with the item, so a cold
 *   request's signature costs the one read it needs) and Twilio's answer to the last re-read. Twilio's
 *   answer outranks a copy read before it, so once a re-read shows a rotated token, a request that
 *   verifies only with the old copy is refused on this instance at once.
 * A re-read asks Twilio (single-flight, at most once per TOKEN_REREAD_COOLDOWN_MS per tenant and
 * instance) and, when Twilio's token differs from the copy, replaces the copy in the registry: the
 * write forgets this instance's copy at once, and every other instance reads the new one within
 * TENANT_MAX_AGE_MS, after which the old token verifies nowhere.
 */
export function signingTokensOf(
  config: ServiceConfig,
  sid: string,
  tenant: Cached<TenantAccount | undefined> | undefined,
  now = Date.now(),
): SigningTokens {
  if (sid === config.accountSid) return { current: config.authToken, reread: MAIN_ACCOUNT_REREAD };
  const copy = openCopy(config, sid, tenant?.value?.account.authToken);
  const tokens = twilioTokensOf(config);
  const asked = tokens.peek(sid, now);
  const current = asked && (copy === undefined || asked.readAt >= (tenant?.readAt ?? 0)) ? asked.value : copy;
  return {
    current,
    reread: () =>
      asked && now - asked.readAt < TOKEN_REREAD_COOLDOWN_MS
        ? Promise.resolve(asked.value)
        : tokens.reload(sid, now, () => readAndReplace(config, sid, copy)),
  };
}

/**
 * Twilio's token for `sid`; when it is not the `copy` the registry holds (a rotation on Twilio), the
 * copy is replaced first. An item with no copy at all is left as it is (`check` repair adds one): a
 * request that may be forged then changes nothing, and the token read serves this instance meanwhile.
 */
async function readAndReplace(config: ServiceConfig, sid: string, copy: string | undefined): Promise<string> {
  const token = await fetchAuthToken(config, sid);
  if (copy !== undefined && token !== copy) {
    await replaceCopy(config, sid, token).catch((error: unknown) => {
      // The token read answers on this instance meanwhile; the next re-read or `check` repair retries.
      log.error(`replacing the registry's copy of ${sid}'s auth token failed`, { error: String(error) });
    });
  }
  return token;
}

/**
 * One registry write per rotation noticed (the re-read is single-flight and rate-bounded), and none
 * when the record already holds Twilio's token (another instance replaced it first).
 */
async function replaceCopy(config: ServiceConfig, sid: string, token: string): Promise<void> {
  // Loaded on first use: the registry's schemas and writes are not needed by a warm webhook.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { subaccountRegistry }: typeof import('../registry/registry') = require('../registry/registry');
  await subaccountRegistry(config).update(sid, (record) =>
    openCopy(config, sid, record.authToken) === token
      ? record
      : {
          ...record,
          authToken: sealAuthToken(config.registryKeys, sid, token),
          updatedAt: new Date().toISOString(),
        },
  );
}

/**
 * GET /Accounts/{sid}: Twilio answers a subaccount's auth token to the main credentials; a connected
 * account is reached with the token its item holds (twilio/clients.ts `actingOn`), so a rotated one
 * fails here and the request stays unverified.
 */
function fetchAuthToken(config: ServiceConfig, sid: string): Promise<string> {
  return twilioClients(config)
    .actingOn(sid)
    .api.v2010.accounts(sid)
    .fetch()
    .then(
      (account) => account.authToken,
      (error: unknown) => {
        throw fromTwilioError(error, `Fetching the auth token of ${sid}`);
      },
    );
}
