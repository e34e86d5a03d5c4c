import { timingSafeEqual } from 'node:crypto';
import { authenticationFailed, TwilioError } from './errors';
import type { Account, SandboxState } from '../state/types';

export type CredentialKind = 'main' | 'sub' | 'key';

/** Who a request authenticated as: the account acted for, and with what kind of secret. */
export interface Credential {
  kind: CredentialKind;
  accountSid: string;
  keySid?: string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseBasic(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function findAccount(state: SandboxState, sid: string): Account | undefined {
  return state.accounts.find((account) => account.sid === sid);
}

/** An account is usable when it and (for a subaccount) its parent are active. */
function ensureActive(state: SandboxState, account: Account): void {
  const parent = account.ownerAccountSid ? findAccount(state, account.ownerAccountSid) : undefined;
  if (account.status === 'closed' || parent?.status === 'closed') throw authenticationFailed();
  if (account.status === 'suspended' || parent?.status === 'suspended') {
    throw new TwilioError(401, 20005, 'Account not active');
  }
}

/** Basic auth with an account SID + auth token or an API key SID + secret, as Twilio accepts. */
export function authenticate(state: SandboxState, authorization: string | undefined): Credential {
  const basic = parseBasic(authorization);
  if (!basic) throw authenticationFailed();
  if (basic.user.startsWith('SK')) {
    const key = state.keys.find((candidate) => candidate.sid === basic.user);
    const account = key && findAccount(state, key.accountSid);
    if (!key || !account || !sameSecret(basic.password, key.secret)) throw authenticationFailed();
    ensureActive(state, account);
    return { kind: 'key', accountSid: account.sid, keySid: key.sid };
  }
  const account = findAccount(state, basic.user);
  if (!account || !sameSecret(basic.password, account.authToken)) throw authenticationFailed();
  ensureActive(state, account);
  return { kind: account.ownerAccountSid ? 'sub' : 'main', accountSid: account.sid };
}

/**
 * The v2010 rule: a credential reaches its own account; a main account's SID + auth token also reaches
 * its subaccounts. API keys, even the main account's, stay within their own account.
 */
export function authorizeAccount(state: SandboxState, credential: Credential, accountSid: string): Account {
  const target = findAccount(state, accountSid);
  if (target && target.sid === credential.accountSid) return target;
  if (target && credential.kind === 'main' && target.ownerAccountSid === credential.accountSid) return target;
  if (!target && credential.kind === 'main') {
    throw new TwilioError(
      404,
      20404,
      `The requested resource /2010-04-01/Accounts/${accountSid}.json was not found`,
    );
  }
  throw authenticationFailed();
}

/** Standard API keys cannot use the Accounts and Keys resources. */
export function requireAccountCredential(credential: Credential): void {
  if (credential.kind === 'key') throw authenticationFailed();
}
