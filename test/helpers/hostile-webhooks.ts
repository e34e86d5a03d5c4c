/**
 * Webhook requests as an attacker sends them to a served service (twilio-run on dist): unsigned or
 * with a made-up signature, for random `AccountSid`s or for one tenant; beside them, genuine ones
 * signed as Twilio signs (over PUBLIC_BASE_URL + path). And the Sync reads the sandbox logged while they
 * ran, per Sync object. Used by test/webhooks/hostile-traffic.test.ts (small sizes) and
 * `npm run load:hostile` (full size).
 */
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { Sandbox } from '../../sandbox';
import { syncObjectOf } from './hot-read-load';
import { callParams } from './signed-webhook';

export interface WebhookAnswer {
  status: number;
  text: string;
}

export const randomAccountSid = () => `AC${randomBytes(16).toString('hex')}`;

/**
 * POSTs `params` to `serviceUrl` + `path`, signed with `authToken` over `publicBaseUrl` + `path`
 * (Twilio signs the public URL, whichever instance serves it); `null` sends no signature, `'made-up'`
 * a signature of the right shape made with no token at all.
 */
export async function postWebhook(
  target: { serviceUrl: string; publicBaseUrl: string },
  path: string,
  params: Record<string, string>,
  authToken: string | null | 'made-up',
): Promise<WebhookAnswer> {
  const signature =
    authToken === 'made-up'
      ? randomBytes(20).toString('base64')
      : authToken && getExpectedTwilioSignature(authToken, `${target.publicBaseUrl}${path}`, params);
  const response = await fetch(`${target.serviceUrl}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(signature ? { 'X-Twilio-Signature': signature } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, text: await response.text() };
}

/**
 * `count` /voice requests for random `AccountSid`s, half without a signature and half with a made-up
 * one, `concurrency` at a time: the statuses answered.
 */
export async function floodUnknownAccounts(
  target: { serviceUrl: string; publicBaseUrl: string },
  count: number,
  concurrency: number,
): Promise<number[]> {
  const limit = pLimit(concurrency);
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      limit(async () => {
        const params = callParams({ accountSid: randomAccountSid(), from: '+14155550100', to: '+14155550199' });
        return (await postWebhook(target, '/voice', params, index % 2 ? 'made-up' : null)).status;
      }),
    ),
  );
}

/**
 * `count` /voice requests for one known tenant, each to a new `To` (so a service that read the number
 * before the signature would read a new item each time), with a made-up signature.
 */
export async function forgeForTenant(
  target: { serviceUrl: string; publicBaseUrl: string },
  accountSid: string,
  count: number,
  concurrency: number,
): Promise<number[]> {
  const limit = pLimit(concurrency);
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      limit(async () => {
        const to = `+1415${String(2_000_000 + index).slice(1)}`;
        const params = callParams({ accountSid, from: '+14155550100', to });
        return (await postWebhook(target, '/voice', params, 'made-up')).status;
      }),
    ),
  );
}

/** Sync reads (GET) per Sync object the sandbox logged from `logStart` on. */
export function syncReadsSince(sandbox: Sandbox, logStart: number): Map<string, number> {
  const reads = new Map<string, number>();
  for (const request of sandbox.log.slice(logStart)) {
    const object = request.method === 'GET' ? syncObjectOf(request.path) : undefined;
    if (object) reads.set(object, (reads.get(object) ?? 0) + 1);
  }
  return reads;
}
