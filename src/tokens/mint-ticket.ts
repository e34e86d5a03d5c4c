import jwt from 'jsonwebtoken';
import { keyId } from '../config/key-ring';

export interface TicketRequest {
  identity: string;
  accountSid: string;
  /** Seconds until the ticket expires; a few minutes is plenty, since /token is called right away. */
  ttlSeconds?: number;
}

/**
 * Mints a ticket as the company's back-end would (docs/tickets.md): for the admin CLI's `ticket`
 * command, demos and tests, and for the admin console's test call (admin/accounts/test-call-ticket.ts),
 * the one ticket the service mints itself. Its header names the secret
 * (`kid`, config/key-ring.ts `keyId`), so while TOKEN_TICKET_SECRET lists two the service tries one.
 */
export function mintTicket(secret: string, request: TicketRequest): string {
  return jwt.sign({ acct: request.accountSid }, secret, {
    algorithm: 'HS256',
    keyid: keyId(secret),
    subject: request.identity,
    expiresIn: request.ttlSeconds ?? 300,
  });
}
