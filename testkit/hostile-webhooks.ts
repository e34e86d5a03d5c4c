/**
 * Webhook requests as an attacker sends them to a served service (twilio-run on dist): unsigned or
 * with a made-up signature, for random `AccountSid`s or for one tenant; beside them, genuine ones
 * signed as Twilio signs (over PUBLIC_BASE_URL + path). And the Sync reads the sandbox logged while they
 * ran, per Sync object. Used by test/webhooks/hostile-traffic.test.ts (small sizes) and
 * `npm run load:hostile` (full size).
 */
import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import pLimit from 'p-limit';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { Sandbox } from '../sandbox';
import { syncObjectOf } from './hot-read-load';
import { callParams } from './signed-webhook';

export interface WebhookAnswer {
  status: number;
  text: string;
}

// Connections kept open between requests (as a caller holding many would); the server's idle timeout
// is left to close them.
const keepAlive = new Agent({ keepAlive: true, maxSockets: 256, timeout: 60_000 });

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
  const body = new URLSearchParams(params).toString();
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${target.serviceUrl}${path}`,
      {
        method: 'POST',
        agent: keepAlive,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          ...(signature ? { 'X-Twilio-Signature': signature } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
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
        const params = callParams({
          accountSid: randomAccountSid(),
          from: '+14155550100',
          to: '+14155550199',
        });
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
