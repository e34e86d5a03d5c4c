/**
 * Sets up a tenant the way the admin operations will (subaccount, API key, TwiML App pointing at
 * /voice, numbers, registry item), directly through the service's own Twilio clients against the
 * sandbox, so webhook and token tests do not depend on the admin functions.
 */
import twilio from 'twilio';
import type { Sandbox } from '../sandbox';
import { loadConfig } from '../src/config/config';
import { secretBinding } from '../src/registry/layout';
import { subaccountRegistry } from '../src/registry/registry';
import { encryptSecret } from '../src/registry/secret-box';
import { sealAuthToken } from '../src/registry/tenant-auth-token';
import { clearTenantCache } from '../src/registry/tenant-cache';
import type { SubaccountRecord } from '../src/registry/types';
import { twilioClients } from '../src/twilio/clients';

export interface TenantOptions {
  friendlyName?: string;
  /** How many numbers the subaccount gets (bought into it in the sandbox); 1 unless given. */
  numbers?: number;
  /** Registry fields to set; by default active, first number as caller ID, nothing routed. */
  record?: Partial<Omit<SubaccountRecord, 'sid' | 'numbers' | 'apiKey' | 'twimlAppSid'>>;
  /**
   * Keep a copy of the auth token in the registry item, as `create` does: a cold /voice then checks
   * its signature without asking Twilio. Off by default: items written before the copy was kept lack it.
   */
  authTokenInRegistry?: boolean;
}

export interface ProvisionedTenant {
  sid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
  twimlAppSid: string;
  /** E.164 numbers of the subaccount, each pointed at its TwiML App. */
  numbers: string[];
  record: SubaccountRecord;
  /** A Voice access token for `identity`, as the token endpoint would mint it. */
  voiceToken(identity: string): string;
}

/** `env` must point the service at the sandbox (TWILIO_API_BASE_URL, ACCOUNT_SID/AUTH_TOKEN of its seed). */
export async function provisionTenant(
  sandbox: Sandbox,
  env: Record<string, string>,
  options: TenantOptions = {},
): Promise<ProvisionedTenant> {
  const config = loadConfig(env);
  const clients = twilioClients(config);
  const account = await clients.main().api.v2010.accounts.create({
    friendlyName: options.friendlyName ?? 'Tenant',
  });
  const inSubaccount = clients.actingOn(account.sid).api.v2010.accounts(account.sid);
  const key = await inSubaccount.newKeys.create({ friendlyName: 'voice' });
  const app = await inSubaccount.applications.create({
    friendlyName: 'voice',
    voiceUrl: `${config.publicBaseUrl}/voice`,
    voiceMethod: 'POST',
    statusCallback: `${config.publicBaseUrl}/voice/call-status`,
    statusCallbackMethod: 'POST',
  });
  const bought = Array.from({ length: options.numbers ?? 1 }, () =>
    sandbox.addPhoneNumber(account.sid, { voiceApplicationSid: app.sid }),
  );
  const numbers = bought.map((number) => number.phoneNumber);
  const now = new Date().toISOString();
  const record: SubaccountRecord = {
    friendlyName: account.friendlyName,
    status: 'active',
    retiringApiKeys: [],
    callerId: numbers[0] ?? null,
    inboundRouting: {},
    recording: false,
    messagingServiceSid: null,
    idempotencyKey: null,
    createdAt: now,
    updatedAt: now,
    ...options.record,
    sid: account.sid,
    apiKey: {
      sid: key.sid,
      secret: encryptSecret(config.registryEncryptionKey, key.secret, secretBinding(account.sid)),
      createdAt: now,
    },
    twimlAppSid: app.sid,
    numbers: bought.map(({ sid, phoneNumber }) => ({ sid, phoneNumber })),
    ...(options.authTokenInRegistry
      ? { authToken: sealAuthToken(config.registryEncryptionKey, account.sid, account.authToken) }
      : {}),
  };
  await subaccountRegistry(config).create(account.sid, record);
  return {
    sid: account.sid,
    authToken: account.authToken,
    apiKeySid: key.sid,
    apiKeySecret: key.secret,
    twimlAppSid: app.sid,
    numbers,
    record,
    voiceToken: (identity) => {
      const token = new twilio.jwt.AccessToken(account.sid, key.sid, key.secret, { identity, ttl: 3600 });
      token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: app.sid }));
      return token.toJwt();
    },
  };
}

/** The service's environment for a sandbox: its main account, every REST request routed to it. */
export function sandboxEnv(sandbox: Sandbox, env: Record<string, string>): Record<string, string> {
  const main = sandbox.seed();
  return {
    ...env,
    ACCOUNT_SID: main.accountSid,
    AUTH_TOKEN: main.authToken,
    TWILIO_API_BASE_URL: sandbox.baseUrl,
  };
}

/** Changes a tenant's registry item as an admin would, and forgets every copy the hot paths cached. */
export async function updateTenantRecord(
  env: Record<string, string>,
  tenant: ProvisionedTenant,
  change: Partial<SubaccountRecord>,
): Promise<void> {
  Object.assign(tenant.record, change);
  await subaccountRegistry(loadConfig(env)).update(tenant.sid, (record) => ({ ...record, ...change }));
  clearTenantCache();
}
