import { mintTicket } from '../src/tokens/mint-ticket';
import type { ProvisionedTenant } from '../testkit/provision-tenant';
import type { LoadRequest } from './load-run';

/** Distinct staff members whose browsers ask for tokens. */
const USERS = 50;

/**
 * Realistic /token requests from a softphone page: a ticket minted by the company's back-end for each
 * user, sent as `Authorization: Bearer` from an allowed origin, half asking for a shorter lifetime.
 */
export function tokenRequests(
  env: Record<string, string>,
  origin: string,
  tenant: ProvisionedTenant,
): LoadRequest[] {
  return Array.from({ length: USERS }, (_, i) => {
    const ticket = mintTicket(env.TOKEN_TICKET_SECRET as string, {
      identity: `agent_${i}`,
      accountSid: tenant.sid,
      ttlSeconds: 3600,
    });
    return {
      method: 'POST',
      path: '/token',
      headers: { authorization: `Bearer ${ticket}`, origin, 'content-type': 'application/json' },
      body: JSON.stringify(i % 2 === 0 ? {} : { ttl: 600 }),
      expect: (body) => body.includes(`"identity":"agent_${i}"`) && body.includes('"token":"eyJ'),
    };
  });
}
