import { z } from 'zod';
import {
  corsHeaders,
  isPreflight,
  preflightHeaders,
  requireAllowedEmbedder,
  requireAllowedOrigin,
} from '../http/cors';
import { jsonFunction } from '../http/json-function';
import { bearerCredential, parseParameters } from '../http/request-input';
import { MAX_TOKEN_TTL_S, MIN_TOKEN_TTL_S, issueVoiceToken } from '../tokens/issue-token';
import { ticketInParameters, ticketMissing } from '../tokens/ticket-errors';

const TokenRequest = z.object({
  ttl: z.coerce
    .number()
    .int()
    .min(MIN_TOKEN_TTL_S, `must be at least ${MIN_TOKEN_TTL_S} seconds`)
    .max(MAX_TOKEN_TTL_S, `must be at most ${MAX_TOKEN_TTL_S} seconds (24 hours)`)
    .optional(),
  /** Set by the softphone for a ticket it got by `postMessage`: the origin of the page that sent it. */
  embedder: z.string().max(300).optional(),
});

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
    const { ttl, embedder } = parseParameters(TokenRequest, event);
    requireAllowedEmbedder(config, embedder);
    const ticket = bearerCredential(headers);
    if (!ticket) throw ticketMissing();
    return { body: await issueVoiceToken(config, { ticket, ttl }) };
  },
  { headers: ({ config, event }) => corsHeaders(config, event.request?.headers) },
);
