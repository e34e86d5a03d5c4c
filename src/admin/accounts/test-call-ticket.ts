import { z } from 'zod';
import { conflict } from '../../errors/service-error';
import { mintTicket } from '../../tokens/mint-ticket';
import type { AdminDeps } from '../deps';
import { accountSid } from '../parameters';
import { registeredSubaccount } from '../subaccounts/registered';

export const testCallTicketParameters = z.object({ accountSid });

/**
 * The Voice identity of a test call: not one of the tenant's staff, so no inbound routing rings it and
 * its calls read as the admin's test in the call history.
 */
export const TEST_CALL_IDENTITY = 'console_test_call';

/**
 * How long the ticket may be traded at /token: the softphone trades it as soon as it opens, and the
 * token it gets then lasts the test call (an hour by default); a ticket copied from the address bar
 * afterwards is useless soon after.
 */
const TEST_CALL_TICKET_SECONDS = 120;

/**
 * A ticket for a test call in a tenant's own softphone (the admin console's "Make a test call", after
 * update-credentials): the softphone trades it at /token, which checks everything a staff member's
 * ticket meets (the tenant active, its credentials accepted, its API key and App), then the admin calls
 * any phone from it, through /voice. So the test goes the same way a customer's calls go. Minted here
 * because the console holds the admin key only, never TOKEN_TICKET_SECRET; it is what the company's
 * back-end mints for its users (docs/tickets.md), for one fixed identity and two minutes. One registry
 * read, no Twilio request.
 */
export async function testCallTicket(deps: AdminDeps, parameters: z.output<typeof testCallTicketParameters>) {
  const sid = parameters.accountSid;
  const { data: record } = await registeredSubaccount(deps, sid);
  if (record.status !== 'active') {
    throw conflict('subaccount_not_active', `${sid} is ${record.status}: it cannot make calls to test.`);
  }
  const expiresAt = new Date(deps.now().getTime() + TEST_CALL_TICKET_SECONDS * 1000);
  return {
    accountSid: sid,
    identity: TEST_CALL_IDENTITY,
    ticket: mintTicket(deps.config.tokenTicketSecret, {
      identity: TEST_CALL_IDENTITY,
      accountSid: sid,
      ttlSeconds: TEST_CALL_TICKET_SECONDS,
    }),
    expiresAt: expiresAt.toISOString(),
  };
}
