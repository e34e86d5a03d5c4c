/**
 * Rotating REGISTRY_ENCRYPTION_KEY and TOKEN_TICKET_SECRET with two keys live (docs/key-rotation.md):
 * every request in between is answered, items sealed under the old key read, tickets minted with the old
 * secret are accepted, and after `check` repair every item and secret is under the new key, so the old
 * one can go.
 */
import { randomBytes } from 'node:crypto';
import { handler as check } from '../../src/functions/admin/subaccounts/check';
import { handler as update } from '../../src/functions/admin/subaccounts/update';
import { handler as token } from '../../src/functions/token';
import { handler as voice } from '../../src/functions/voice';
import { findVerb } from '../../sandbox';
import { keyId } from '../../src/config/key-ring';
import { loadConfig } from '../../src/config/config';
import { clearTenantCache } from '../../src/registry/tenant-cache';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { invokeFunction } from '../../testkit/function-runtime';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { useSandbox } from '../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../testkit/service-env';
import { callParams, signedWebhookCall } from '../../testkit/signed-webhook';
import { allItems } from '../helpers/sync-items';
import { twimlOf } from '../../testkit/twiml';

const sandbox = useSandbox();
const oldKey = randomBytes(32).toString('hex');
const newKey = randomBytes(32).toString('hex');
const oldSecret = randomBytes(32).toString('hex');
const newSecret = randomBytes(32).toString('hex');
let tenant: ProvisionedTenant;
let base: Record<string, string>;

/** The same service (one main account in the sandbox) with other keys listed. */
const envWith = (keys: string, secrets: string) => ({
  ...base,
  REGISTRY_ENCRYPTION_KEY: keys,
  TOKEN_TICKET_SECRET: secrets,
});

const tokenFor = (env: Record<string, string>, ticket: string) =>
  invokeFunction(token, { env, path: '/token', headers: { authorization: `Bearer ${ticket}` } });

const admin = (env: Record<string, string>, handler: typeof check, body: Record<string, unknown>) =>
  invokeFunction(handler, { env, body, headers: { authorization: `Bearer ${adminKeyOf(env)}` } });

const dialled = async (env: Record<string, string>) =>
  findVerb(
    twimlOf(
      (
        await invokeFunction(
          voice,
          signedWebhookCall({
            env,
            path: '/voice',
            params: callParams({ accountSid: tenant.sid, from: 'client:alice', to: '+14155550199' }),
            authToken: tenant.authToken,
          }),
        )
      ).text,
    ),
    'Number',
  )?.text;

/** Every key id the registry's items and secrets are sealed under. */
function keyIdsInSync(): Set<string> {
  const ids = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [name, entry] of Object.entries(value)) {
        if (name === 'kid' && typeof entry === 'string') ids.add(entry);
        else visit(entry);
      }
    }
  };
  for (const { item } of allItems(sandbox())) visit(item.data);
  return ids;
}

beforeEach(async () => {
  base = sandboxEnv(sandbox(), serviceEnv());
  tenant = await provisionTenant(sandbox(), envWith(oldKey, oldSecret), {
    numbers: 2,
    authTokenInRegistry: true,
  });
  clearTenantCache();
});

it('REGISTRY_ENCRYPTION_KEY: old items read with both keys listed; repair re-seals all under the new', async () => {
  const before = envWith(oldKey, oldSecret);
  const both = envWith(`${newKey},${oldKey}`, oldSecret);
  const after = envWith(newKey, oldSecret);
  const ticket = mintTicket(oldSecret, { identity: 'alice', accountSid: tenant.sid });
  expect(keyIdsInSync()).toEqual(new Set([keyId(Buffer.from(oldKey, 'hex'))]));

  expect((await tokenFor(before, ticket)).statusCode).toBe(200);
  clearTenantCache();
  // Both listed: everything sealed under the old key still works, and a write seals under the new one.
  expect((await tokenFor(both, ticket)).statusCode).toBe(200);
  expect(await dialled(both)).toBe('+14155550199');
  expect((await admin(both, update, { subaccountSid: tenant.sid, recording: true })).statusCode).toBe(200);
  clearTenantCache();
  expect((await tokenFor(both, ticket)).statusCode).toBe(200);

  const found = await admin(both, check, { subaccountSid: tenant.sid });
  type Checked = { registryItems?: { code: string; item: string; repaired?: boolean }[] };
  expect(found.json<Checked>().registryItems?.map((finding) => finding.code)).toContain(
    'registry_key_outdated',
  );
  const repaired = await admin(both, check, { subaccountSid: tenant.sid, repair: true });
  expect(repaired.statusCode).toBe(200);
  expect(repaired.json<Checked>().registryItems?.every((finding) => finding.repaired)).toBe(true);
  expect(keyIdsInSync()).toEqual(new Set([keyId(Buffer.from(newKey, 'hex'))]));
  expect(
    (await admin(both, check, { subaccountSid: tenant.sid })).json<Checked>().registryItems,
  ).toBeUndefined();

  // The old key gone: nothing is left under it, so nothing is refused.
  clearTenantCache();
  expect((await tokenFor(after, ticket)).statusCode).toBe(200);
  expect(await dialled(after)).toBe('+14155550199');
  expect((await admin(after, check, { subaccountSid: tenant.sid })).statusCode).toBe(200);
});

it('TOKEN_TICKET_SECRET: tickets of the old secret, with or without kid, are accepted while both are listed', async () => {
  const both = envWith(oldKey, `${newSecret},${oldSecret}`);
  const after = envWith(oldKey, newSecret);
  const oldTicket = mintTicket(oldSecret, { identity: 'alice', accountSid: tenant.sid });
  const newTicket = mintTicket(newSecret, { identity: 'alice', accountSid: tenant.sid });
  // A back-end that does not set kid: the service tries each listed secret.
  const [header, payload, signature] = oldTicket.split('.');
  const decoded = JSON.parse(Buffer.from(header as string, 'base64url').toString()) as Record<
    string,
    unknown
  >;
  expect(decoded.kid).toBe(keyId(oldSecret));

  const statuses = [];
  for (const ticket of [oldTicket, newTicket, oldTicket, newTicket])
    statuses.push((await tokenFor(both, ticket)).statusCode);
  expect(statuses).toEqual([200, 200, 200, 200]);
  const { kid: _kid, ...withoutKid } = decoded;
  const jwt = await import('jsonwebtoken');
  const bare = jwt.default.sign({ acct: tenant.sid }, oldSecret, {
    algorithm: 'HS256',
    subject: 'alice',
    expiresIn: 300,
    header: withoutKid as unknown as import('jsonwebtoken').JwtHeader,
  });
  expect((await tokenFor(both, bare)).statusCode).toBe(200);
  expect(payload && signature).toBeTruthy();

  // After the old secret is dropped, its tickets are refused, naming no secret.
  const refused = await tokenFor(after, oldTicket);
  expect(refused.statusCode).toBe(401);
  expect(refused.text).not.toContain(oldSecret);
  expect((await tokenFor(after, newTicket)).statusCode).toBe(200);
  expect(loadConfig(both).tokenTicketSecret).toBe(newSecret);
});
