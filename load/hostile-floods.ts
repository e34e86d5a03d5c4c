/**
 * The floods of `npm run load:hostile`, at full size (test/webhooks/hostile-traffic.test.ts runs them
 * small): forged /voice requests for random AccountSids, with a genuine call to a tenant made a moment
 * earlier and admin calls beside them; and forged /voice requests for one known tenant, each to a new
 * number, beside its genuine calls. Counts the Sync reads they cost per object from the sandbox's log.
 * `HOSTILE_FLOOD` (random-SID forgeries, default 20,000), `HOSTILE_TENANT_FORGERIES` (default 5,000),
 * `HOSTILE_CONCURRENCY` (default 200).
 */
import { KNOWN_TENANTS_REFRESH_MS } from '../src/registry/known-tenants';
import { postAdmin } from '../testkit/admin-http';
import {
  floodUnknownAccounts,
  forgeForTenant,
  postWebhook,
  syncReadsSince,
} from '../testkit/hostile-webhooks';
import type { LocalService } from '../testkit/local-service';
import { provisionTenant, type ProvisionedTenant } from '../testkit/provision-tenant';
import { adminKeyOf } from '../testkit/service-env';
import { callParams } from '../testkit/signed-webhook';
import { verbsOf } from '../testkit/twiml';

const FLOOD = Number(process.env.HOSTILE_FLOOD ?? 20_000);
const TENANT_FORGERIES = Number(process.env.HOSTILE_TENANT_FORGERIES ?? 5_000);
const CONCURRENCY = Number(process.env.HOSTILE_CONCURRENCY ?? 200);

const genuineCall = (target: { serviceUrl: string; publicBaseUrl: string }, tenant: ProvisionedTenant) =>
  postWebhook(
    target,
    '/voice',
    callParams({ accountSid: tenant.sid, from: 'client:alice', to: '+14155550199' }),
    tenant.authToken,
  );

/** Runs both floods against `local`; answers the problems found (none: it held). */
export async function runFloods(local: LocalService): Promise<string[]> {
  const { sandbox, service, env } = local;
  const target = { serviceUrl: service.url, publicBaseUrl: env.PUBLIC_BASE_URL ?? service.url };
  const problems: string[] = [];
  const known = await provisionTenant(sandbox, env, { authTokenInRegistry: true });
  const admin = () =>
    postAdmin(
      service.url,
      '/admin/subaccounts/get',
      { subaccountSid: known.sid },
      { Authorization: `Bearer ${adminKeyOf(env)}` },
    );
  await genuineCall(target, known);
  await admin();

  // Random SIDs, with a tenant made a moment earlier called meanwhile, and admin calls.
  const fresh = await provisionTenant(sandbox, env, { authTokenInRegistry: true, friendlyName: 'Fresh' });
  let logStart = sandbox.log.length;
  let started = Date.now();
  const flood = floodUnknownAccounts(target, FLOOD, CONCURRENCY);
  const freshCall = await genuineCall(target, fresh);
  const adminStatuses: number[] = [];
  let flooding = true;
  void flood.finally(() => (flooding = false));
  while (flooding) adminStatuses.push((await admin()).status);
  const statuses = await flood;
  let seconds = (Date.now() - started) / 1000;
  let reads = syncReadsSince(sandbox, logStart);
  const directory = reads.get('Maps/subaccounts') ?? 0;
  const listingBound = Math.ceil((seconds * 1000) / KNOWN_TENANTS_REFRESH_MS) + 2;
  const strays = [...reads.keys()].filter(
    (object) =>
      object !== 'Maps/subaccounts' &&
      !object.startsWith('Maps/subaccount-' + known.sid) &&
      !object.startsWith('Maps/subaccount-' + fresh.sid),
  );
  console.log(
    `\nRandom-SID flood: ${FLOOD} forged /voice in ${seconds.toFixed(1)} s, ${CONCURRENCY} at once: ` +
      `${statuses.filter((status) => status === 403).length} answered 403; directory reads ${directory} ` +
      `(at most ${listingBound}: one listing a second); ` +
      `Sync objects of unknown SIDs read: ${strays.length}; the tenant made a moment earlier: ` +
      `${verbsOf(freshCall.text).join() || freshCall.status}; admin calls: ${adminStatuses.length}, ` +
      `${adminStatuses.filter((status) => status !== 200).length} failed.`,
  );
  if (statuses.some((status) => status !== 403))
    problems.push('a random-SID forgery was not refused with 403');
  if (directory > listingBound) problems.push(`${directory} directory reads during the flood`);
  if (strays.length > 0)
    problems.push(`Sync objects of unknown SIDs were read: ${strays.slice(0, 3).join(', ')}`);
  if (verbsOf(freshCall.text).join() !== 'Dial>Number')
    problems.push('the tenant made a moment earlier was not served');
  if (adminStatuses.some((status) => status !== 200)) problems.push('an admin call failed during the flood');

  // One known tenant, a new number per forgery, beside its genuine calls.
  logStart = sandbox.log.length;
  started = Date.now();
  const forged = forgeForTenant(target, known.sid, TENANT_FORGERIES, CONCURRENCY);
  const genuine = [];
  let forging = true;
  void forged.finally(() => (forging = false));
  while (forging) genuine.push(await genuineCall(target, known));
  const forgedStatuses = await forged;
  seconds = (Date.now() - started) / 1000;
  reads = syncReadsSince(sandbox, logStart);
  const tenantReads = reads.get(`Maps/subaccount-${known.sid}`) ?? 0;
  const served = genuine.filter((answer) => verbsOf(answer.text).join() === 'Dial>Number').length;
  console.log(
    `One-tenant forgeries: ${TENANT_FORGERIES} in ${seconds.toFixed(1)} s: ` +
      `${forgedStatuses.filter((status) => status === 403).length} answered 403; reads of the tenant's Map: ` +
      `${tenantReads}; its genuine calls meanwhile: ${served} of ${genuine.length} served.`,
  );
  if (forgedStatuses.some((status) => status !== 403)) problems.push('a one-tenant forgery was not refused');
  if (served !== genuine.length) problems.push('a genuine call was not served beside one-tenant forgeries');
  // The `account` item is refreshed once per 20 s of freshness at most; no number item is read.
  if (tenantReads > Math.ceil(seconds / 20) + 1) problems.push(`${tenantReads} reads of the tenant's Map`);
  return problems;
}
