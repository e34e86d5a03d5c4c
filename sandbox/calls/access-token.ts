import jwt, { type JwtPayload } from 'jsonwebtoken';
import { TwilioError } from '../rest/errors';
import type { SandboxState } from '../state/types';

export interface VerifiedVoiceToken {
  accountSid: string;
  keySid: string;
  identity: string;
  applicationSid: string;
  /** Params the token's outgoing grant carries for every call. */
  grantParams: Record<string, string>;
}

interface VoiceGrants {
  identity?: string;
  voice?: { outgoing?: { application_sid?: string; params?: Record<string, string> } };
}

export const MAX_ACCESS_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * A refused token. `code` is the REST API's (20101-20107); `signallingCode` is what Twilio's signalling
 * gateway sends the Voice SDK for the same fault, the codes the SDK handles (device.ts
 * _onSignalingError: 31204 becomes its AccessTokenInvalid 20101, 31205 its AccessTokenExpired 20104 and
 * stops its registration timer, 31201 its AuthenticationFailed 20151; errors/generated.ts lists 31207
 * "JWT token expiration too long"): https://www.twilio.com/docs/api/errors/31204, /31205, /31207.
 */
export class VoiceTokenError extends TwilioError {
  constructor(
    code: number,
    message: string,
    readonly signallingCode: number,
    status = 401,
  ) {
    super(status, code, message);
  }
}

const invalid = (code: number, message: string, signallingCode = 31204) =>
  new VoiceTokenError(code, message, signallingCode);

type TokenPayload = JwtPayload & { grants?: VoiceGrants };
type ApiKey = SandboxState['keys'][number];

/** The header marks a Twilio access token (HS256, `twilio-fpa;v=1`); its payload is read, unverified yet. */
function decodedPayload(token: string): TokenPayload {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') throw invalid(20101, 'Invalid Access Token');
  const header = decoded.header as { alg?: string; cty?: string };
  if (header.alg !== 'HS256' || header.cty !== 'twilio-fpa;v=1') {
    throw invalid(20102, 'Invalid Access Token header');
  }
  return decoded.payload as TokenPayload;
}

/** `iss` is an existing API key of the account `sub` names, and the token is signed with its secret. */
function signingKey(state: SandboxState, token: string, payload: TokenPayload): ApiKey {
  const key = state.keys.find((k) => k.sid === payload.iss);
  if (!key || key.accountSid !== payload.sub) throw invalid(20103, 'Invalid Access Token issuer/subject');
  try {
    jwt.verify(token, key.secret, { algorithms: ['HS256'], ignoreExpiration: true, ignoreNotBefore: true });
  } catch {
    throw invalid(20107, 'Invalid Access Token signature');
  }
  return key;
}

/** Within its validity: not expired, at most 24 hours long, and already valid. */
function checkValidity(payload: TokenPayload): void {
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp !== 'number' || payload.exp <= now || (payload.iat ?? 0) > payload.exp) {
    throw invalid(20104, 'Access Token expired or expiration date invalid', 31205);
  }
  // "Access Token expiration times can be set up to 24 hours in the future": a longer one is refused
  // with the same code (https://www.twilio.com/docs/api/errors/20104; its REST twin is 20157). The
  // lifetime counts from `iat` (Twilio's helpers always set it), else from now.
  if (payload.exp - (payload.iat ?? now) > MAX_ACCESS_TOKEN_LIFETIME_SECONDS) {
    throw invalid(20104, 'Access Token expiration date is more than 24 hours after its issue', 31207);
  }
  if (typeof payload.nbf === 'number' && payload.nbf > now)
    throw invalid(20105, 'Access Token not yet valid');
}

/**
 * Checks a Voice access token as Twilio does before connecting a client call: the header marks a Twilio
 * access token, `iss` is an existing API key, `sub` the account owning it, HS256 with that key's secret,
 * within its validity, with an outgoing grant naming a TwiML App of that same account.
 */
export function verifyVoiceToken(state: SandboxState, token: string): VerifiedVoiceToken {
  const payload = decodedPayload(token);
  const key = signingKey(state, token, payload);
  checkValidity(payload);
  const identity = payload.grants?.identity;
  const outgoing = payload.grants?.voice?.outgoing;
  const app = state.applications.find((a) => a.sid === outgoing?.application_sid);
  if (!identity || !outgoing || !app || app.accountSid !== key.accountSid) {
    throw invalid(20106, 'Invalid Access Token grants');
  }
  const account = state.accounts.find((a) => a.sid === key.accountSid);
  // Not confirmed in Twilio's docs: what the gateway sends for a token of a suspended account; 31201
  // ("Authorization error") here.
  if (account?.status !== 'active') throw new VoiceTokenError(10001, 'Account is not active', 31201, 403);
  return {
    accountSid: key.accountSid,
    keySid: key.sid,
    identity,
    applicationSid: app.sid,
    grantParams: outgoing.params ?? {},
  };
}
