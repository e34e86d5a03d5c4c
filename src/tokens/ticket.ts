import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { keyRing, ringKey, type KeyRing } from '../config/key-ring';
import { IDENTITY_RULE, isSid, isVoiceIdentity, sidRule } from '../vocabulary';
import { ticketExpired, ticketInvalid, ticketNotYetValid } from './ticket-errors';

/** What a verified ticket says: who the user is and which subaccount they belong to. */
export interface Ticket {
  identity: string;
  accountSid: string;
}

/** Tickets are meant to be short-lived; one valid for longer than this is refused as a mistake. */
export const MAX_TICKET_LIFETIME_S = 24 * 60 * 60;
/** Clock difference tolerated between the company's back-end and Twilio's servers. */
export const TICKET_CLOCK_TOLERANCE_S = 10;
/**
 * How far ahead of our clock a ticket's `iat` may be. jsonwebtoken does not check `iat` at all; a ticket
 * "issued" far in the future is a back-end with a broken clock or a ticket made to outlive its secret's
 * rotation, so it is refused like an early `nbf`, with a minute's allowance for clock drift.
 */
export const TICKET_IAT_SKEW_S = 60;
/** Far above any real ticket; refusing longer input first keeps garbage away from the parser. */
const MAX_TICKET_LENGTH = 4096;

// jsonwebtoken tries to parse a string secret as a PEM private key before using it as an HMAC key,
// on every call. Handing it a KeyObject skips that; the KeyObject is made once per secret.
const ticketKeys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = ticketKeys.get(secret);
  if (!key) {
    // The configured secrets are few (a rotation lists two); anything else is not kept.
    if (ticketKeys.size > 8) ticketKeys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    ticketKeys.set(secret, key);
  }
  return key;
}

/**
 * The secrets a ticket may be verified with: the one its header's `kid` names (the id of a listed
 * secret, config/key-ring.ts), or, for a ticket without `kid`, every listed secret in turn (at most as
 * many HMACs as TOKEN_TICKET_SECRET lists). A `kid` no listed secret has is refused without an HMAC.
 */
function candidateSecrets(secrets: KeyRing<string>, ticket: string): readonly string[] {
  let decoded: jwt.Jwt | null;
  try {
    decoded = jwt.decode(ticket, { complete: true, json: true });
  } catch {
    // jws's decode JSON.parses the payload of a `typ: JWT` header and lets a SyntaxError escape
    // (jws/lib/verify-stream.js `jwsDecode`): a ticket whose payload is not JSON is malformed, not a fault.
    throw ticketInvalid('it is not a well-formed JWT');
  }
  const kid: unknown = decoded?.header.kid;
  if (kid === undefined) return secrets.map((entry) => entry.key);
  if (typeof kid !== 'string') return [];
  const named = ringKey(secrets, kid);
  return named ? [named.key] : [];
}

/**
 * Verifies a ticket minted by the company's back-end (docs/tickets.md): an HS256 JWT signed with
 * TOKEN_TICKET_SECRET with `sub` (a Voice identity), `acct` (a subaccount SID) and a required `exp` at
 * most 24 h ahead; an `nbf` or `iat` must not be in the future. `alg: none` and every algorithm other
 * than HS256 are refused, whatever the header says, because the accepted list is fixed here. Throws a
 * 401 ServiceError saying what is wrong.
 *
 * `secrets`: TOKEN_TICKET_SECRET's list (newest first): a ticket signed with any of them is accepted,
 * so the back-end can move to a new secret while the service lists both (docs/key-rotation.md).
 */
export function verifyTicket(secrets: KeyRing<string> | string, ticket: string, nowSeconds: number): Ticket {
  if (ticket.length > MAX_TICKET_LENGTH) throw ticketInvalid('it is too long');
  const ring = typeof secrets === 'string' ? keyRing([secrets]) : secrets;
  const candidates = candidateSecrets(ring, ticket);
  if (candidates.length === 0) throw ticketInvalid('its kid names no secret this service accepts');
  let claims: string | jwt.JwtPayload | undefined;
  let failure: unknown;
  for (const secret of candidates) {
    try {
      claims = jwt.verify(ticket, keyFor(secret), {
        algorithms: ['HS256'],
        clockTimestamp: nowSeconds,
        clockTolerance: TICKET_CLOCK_TOLERANCE_S,
      });
      break;
    } catch (error) {
      failure = error;
      // Only a wrong signature is worth another secret; an expired or malformed ticket is that for all.
      if (!(error instanceof Error && error.message === 'invalid signature')) break;
    }
  }
  if (claims === undefined) throw refusal(failure);
  if (typeof claims === 'string') throw ticketInvalid('its payload is not a JSON object');
  if (typeof claims.exp !== 'number') throw ticketInvalid('it has no exp (expiry) claim');
  if (claims.iat !== undefined && typeof claims.iat !== 'number') {
    throw ticketInvalid('its iat (issued at) must be a time in seconds');
  }
  if (claims.iat !== undefined && claims.iat > nowSeconds + TICKET_IAT_SKEW_S) throw ticketNotYetValid('iat');
  if (claims.exp > nowSeconds + MAX_TICKET_LIFETIME_S + TICKET_CLOCK_TOLERANCE_S) {
    throw ticketInvalid('its exp is more than 24 hours ahead');
  }
  if (!isVoiceIdentity(claims.sub)) throw ticketInvalid(`its sub (the identity) must be ${IDENTITY_RULE}`);
  const accountSid: unknown = claims.acct;
  if (!isSid('AC', accountSid)) {
    throw ticketInvalid(`its acct must be a subaccount SID (${sidRule('AC')})`);
  }
  return { identity: claims.sub, accountSid };
}

function refusal(error: unknown) {
  if (error instanceof jwt.TokenExpiredError) return ticketExpired();
  if (error instanceof jwt.NotBeforeError) return ticketNotYetValid('nbf');
  const message = error instanceof Error ? error.message : '';
  if (message === 'invalid signature') return ticketInvalid('its signature does not match');
  if (message === 'invalid algorithm' || message === 'jwt signature is required') {
    return ticketInvalid('it must be signed with HS256');
  }
  return ticketInvalid('it is not a well-formed JWT');
}
