import { randomBytes } from 'node:crypto';
import { MAX_WEBHOOK_CHARS, MAX_WEBHOOK_PARAMS } from '../src/webhooks/webhook-params';
import { paddedTo } from '../testkit/padded-params';
import type { ProvisionedTenant } from '../testkit/provision-tenant';
import { callParams } from '../testkit/signed-webhook';
import type { LoadRequest } from './load-run';

/** Distinct forgeries: different CallSids and signatures, so nothing can answer from a cache. */
const FORGERIES = 50;

/**
 * Forged /voice requests as big as they can be while still being checked: for the tenant (so the
 * service looks up its policy and auth token), at exactly MAX_WEBHOOK_PARAMS parameters and
 * MAX_WEBHOOK_CHARS characters (so every one costs the most HMAC work a request can), with a random
 * signature; and, every other one, the request that used to stall the service for 11 s: a thousand
 * query and a thousand body parameters (the most twilio-run's parsers take) with the tenant's
 * AccountSid. Each must be answered 403.
 */
export function hostileRequests(tenant: ProvisionedTenant): LoadRequest[] {
  const requests: LoadRequest[] = [];
  for (let i = 0; i < FORGERIES; i++) {
    const forged = (path: string, body: Record<string, string>): LoadRequest => ({
      method: 'POST',
      path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': randomBytes(20).toString('base64'),
      },
      body: new URLSearchParams(body).toString(),
      status: 403,
      expect: (answer) => answer.includes('invalid_signature'),
    });
    const call = callParams({
      accountSid: tenant.sid,
      from: 'client:alice',
      to: '+14155550199',
      extra: { CallSid: `CA${i.toString(16).padStart(32, '0')}` },
    });
    requests.push(forged('/voice', paddedTo(call, MAX_WEBHOOK_PARAMS, MAX_WEBHOOK_CHARS)));
    // Empty values keep the URL under the 16 KiB of headers Node's HTTP server accepts.
    const query = new URLSearchParams(paddedTo({}, 1000, 0, 'q')).toString();
    requests.push(forged(`/voice?${query}`, paddedTo({ AccountSid: tenant.sid }, 1000, 20_000, 'b')));
  }
  return requests;
}
