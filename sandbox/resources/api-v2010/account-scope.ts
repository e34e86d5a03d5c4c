import { authorizeAccount } from '../../rest/auth';
import type { RequestContext } from '../../context';
import { notFound } from '../../rest/errors';

/** The account named in the path, once the credential is allowed to act on it. */
export function pathAccountSid(context: RequestContext): string {
  return authorizeAccount(context.state, context.credential, context.params.AccountSid ?? '').sid;
}

/**
 * The resource named by the path's `Sid` among `resources`, if it belongs to `accountSid`; Twilio's
 * 20404 otherwise, the same whether the SID is unknown or another account's.
 */
export function ownedBy<T extends { sid: string; accountSid: string }>(
  context: RequestContext,
  resources: readonly T[],
  accountSid: string,
): T {
  const found = resources.find(
    (resource) => resource.sid === context.params.Sid && resource.accountSid === accountSid,
  );
  if (!found) throw notFound(context.path);
  return found;
}
