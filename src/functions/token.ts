import {
  corsHeaders,
  isPreflight,
  preflightHeaders,
  requireAllowedEmbedder,
  requireAllowedOrigin,
} from '../http/cors';
import { jsonFunction } from '../http/json-function';
import { bearerCredential } from '../http/request-input';
import { issueVoiceToken } from '../tokens/issue-token';
import { ticketInParameters, ticketMissing } from '../tokens/ticket-errors';
import { tokenParameters } from '../tokens/token-parameters';

const PREFLIGHT = preflightHeaders(['POST'], ['Authorization', 'Content-Type']);

/**
 * POST /token: a ticket from the company's back-end in (`Authorization: Bearer` only), a Voice access
 * token for its identity and subaccount out, `{ token, identity, accountSid, ttl, expiresAt }`. `ttl`
 * (seconds) may ask for a lifetime other than the default hour.
 *
 * A `ticket` parameter is refused, not read: a Function sees query and body merged, so it cannot tell
 * a body field from a query string, and a ticket in a URL ends up in logs and browser history.
 */
export const handler = jsonFunction(
  'token',
  async ({ config, event }) => {
    const headers = event.request?.headers;
    requireAllowedOrigin(config, headers);
    if (isPreflight(headers)) return { status: 204, body: '', headers: PREFLIGHT };
    if (Object.hasOwn(event, 'ticket')) throw ticketInParameters();
    const { ttl, embedder } = tokenParameters(event);
    requireAllowedEmbedder(config, embedder);
    const ticket = bearerCredential(headers);
    if (!ticket) throw ticketMissing();
    return { body: await issueVoiceToken(config, { ticket, ttl }) };
  },
  { headers: ({ config, event }) => corsHeaders(config, event.request?.headers) },
);
