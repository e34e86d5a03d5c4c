import { authorizeAccount } from '../../auth';
import type { RequestContext } from '../../context';

/** The account named in the path, once the credential is allowed to act on it. */
export function pathAccountSid(context: RequestContext): string {
  return authorizeAccount(context.state, context.credential, context.params.AccountSid ?? '').sid;
}
