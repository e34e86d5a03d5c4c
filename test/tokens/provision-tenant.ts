/**
 * A served subaccount for token tests: subaccount, Standard API key and TwiML App created in the sandbox
 * through the official client (as the admin create operation does), and its registry item.
 * (To be replaced by test/helpers/provision-tenant.ts once that shared helper is on main.)
 */
import { loadConfig } from '../../src/config/config';
import { encryptSecret } from '../../src/registry/secret-box';
import { subaccountRegistry } from '../../src/registry/registry';
import { DEFAULT_ALLOWED_PREFIXES, type SubaccountStatus } from '../../src/registry/types';
import { twilioClients } from '../../src/twilio/clients';

export interface TestTenant {
  accountSid: string;
  keySid: string;
  keySecret: string;
  applicationSid: string;
}

export async function provisionTestTenant(
  env: Record<string, string>,
  options: { friendlyName?: string; status?: SubaccountStatus } = {},
): Promise<TestTenant> {
  const config = loadConfig(env);
  const clients = twilioClients(config);
  const friendlyName = options.friendlyName ?? 'Token test tenant';
  const account = await clients.main().api.v2010.accounts.create({ friendlyName });
  const sub = clients.actingOn(account.sid);
  const key = await sub.newKeys.create({ friendlyName: 'voice tokens' });
  const app = await sub.applications.create({
    friendlyName: 'voice',
    voiceUrl: `${config.publicBaseUrl}/voice`,
    voiceMethod: 'POST',
  });
  const now = new Date().toISOString();
  await subaccountRegistry(config).create(account.sid, {
    sid: account.sid,
    friendlyName,
    status: options.status ?? 'active',
    apiKey: {
      sid: key.sid,
      secret: encryptSecret(config.registryEncryptionKey, key.secret, account.sid),
      createdAt: now,
    },
    retiringApiKeys: [],
    twimlAppSid: app.sid,
    numbers: [],
    callerId: null,
    inboundRouting: {},
    recording: false,
    allowedPrefixes: [...DEFAULT_ALLOWED_PREFIXES],
    messagingServiceSid: null,
    idempotencyKey: null,
    createdAt: now,
    updatedAt: now,
  });
  return { accountSid: account.sid, keySid: key.sid, keySecret: key.secret, applicationSid: app.sid };
}
