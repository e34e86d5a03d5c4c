import type { ServiceConfig } from '../config/config';
import { MAX_TOKEN_LIFETIME_SECONDS } from '../registry/types';
import { tenantSigner } from './tenant-signer';
import { verifyTicket } from './ticket';
import { signVoiceAccessToken } from './voice-access-token';
import type { CallingPolicy } from '../toll-fraud/destination-guard';

/** Token lifetimes in seconds: one hour unless the page asks for less (or more, never over 24 h). */
export const DEFAULT_TOKEN_TTL_S = 60 * 60;
// The registry's cap: rotate-key keeps a replaced key exactly this long, so /token must never exceed it.
export const MAX_TOKEN_TTL_S = MAX_TOKEN_LIFETIME_SECONDS;
/** The Voice SDK warns 10 s before expiry by default; a shorter token would be renewed all the time. */
export const MIN_TOKEN_TTL_S = 20;

export interface IssuedToken {
  token: string;
  identity: string;
  accountSid: string;
  /** Lifetime in seconds. */
  ttl: number;
  /** ISO 8601 time the token stops working; the page refreshes before it. */
  expiresAt: string;
  /** The countries and number types the subaccount may call: the page refuses others before dialling. */
  callingPolicy: CallingPolicy;
}

/**
 * POST /token's one operation: ticket in, Voice access token out, for exactly the ticket's identity and
 * subaccount, signed with that subaccount's own API key, with its calling policy. Warm, it is a registry
 * cache hit and two HMACs (the policy is derived once per registry revision, with the signer).
 */
export async function issueVoiceToken(
  config: ServiceConfig,
  request: { ticket: string; ttl?: number | undefined },
  nowMs = Date.now(),
): Promise<IssuedToken> {
  const nowSeconds = Math.floor(nowMs / 1000);
  const { identity, accountSid } = verifyTicket(config.tokenTicketSecrets, request.ticket, nowSeconds);
  const signer = await tenantSigner(config, accountSid, nowMs);
  const ttl = request.ttl ?? DEFAULT_TOKEN_TTL_S;
  const token = signVoiceAccessToken({ ...signer, identity, ttlSeconds: ttl, nowSeconds });
  return {
    token,
    identity,
    accountSid,
    ttl,
    expiresAt: new Date((nowSeconds + ttl) * 1000).toISOString(),
    callingPolicy: signer.callingPolicy,
  };
}
