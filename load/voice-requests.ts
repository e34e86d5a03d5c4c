import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { ProvisionedTenant } from '../testkit/provision-tenant';
import { callParams } from '../testkit/signed-webhook';
import type { LoadRequest } from './load-run';

/** Distinct calls per scenario: different CallSids, so no layer can answer from a cache of bodies. */
const CALLS_PER_SCENARIO = 50;

/**
 * Realistic /voice requests, signed in advance with the tenant's auth token as Twilio signs them:
 * a browser client calling a number, and an inbound call to a number routed to a browser client.
 */
export function voiceRequests(publicBaseUrl: string, tenant: ProvisionedTenant): LoadRequest[] {
  const url = `${publicBaseUrl}/voice`;
  const requests: LoadRequest[] = [];
  for (let i = 0; i < CALLS_PER_SCENARIO; i++) {
    const callSid = `CA${i.toString(16).padStart(32, '0')}`;
    const browserCall = callParams({
      accountSid: tenant.sid,
      from: 'client:alice',
      to: '+14155550199',
      extra: { CallSid: callSid, Direction: 'inbound', ApplicationSid: tenant.twimlAppSid },
    });
    const inboundCall = callParams({
      accountSid: tenant.sid,
      from: '+14155550100',
      to: tenant.numbers[0] as string,
      extra: { CallSid: callSid, CallerName: 'Zoë' },
    });
    for (const params of [browserCall, inboundCall]) {
      requests.push({
        method: 'POST',
        path: '/voice',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': getExpectedTwilioSignature(tenant.authToken, url, params),
        },
        body: new URLSearchParams(params).toString(),
        // Both calls are dialled: a <Reject/> or an apology would be a 200 that still failed the caller.
        expect: (body) => body.includes('<Dial'),
      });
    }
  }
  return requests;
}
