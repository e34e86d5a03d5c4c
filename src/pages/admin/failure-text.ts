import { AdminRefusal } from '../../client/admin-client';

/**
 * Refusals the service answers before it changes anything: checks of the request, the key, and the
 * state the subaccount is in. Any other failure may come after part of the work was done.
 */
const REFUSED_BEFORE_ANY_CHANGE = new Set([
  'invalid_parameter',
  'unknown_parameter',
  'unauthorized',
  'origin_not_allowed',
  'subaccount_not_found',
  'not_a_subaccount',
  'subaccount_closed',
  'subaccount_deleted',
  'subaccount_not_active',
  'subaccount_busy',
  'subaccount_provisioning',
  'revision_conflict',
  'idempotency_key_reused',
  'create_in_progress',
  'address_required',
  'address_not_compliant',
  'no_number_available',
  'number_gone',
  'too_many_retiring_keys',
  'numbers_still_arriving',
  'events_not_configured',
  'credentials_rejected',
  'account_is_main',
  'subaccount_of_ours',
  'account_already_registered',
  'account_not_active',
  'account_not_connected',
  'account_disconnected',
  'not_allowed_for_connected_account',
]);

/**
 * What the operator can rely on after a failed request, said from what the answer carries: what a
 * create that stopped part-way made, the key a part-way operation resumes with, or, for a refusal made
 * before any change, that nothing changed. Anything else may have done part of what was asked.
 */
export function afterFailure(error: unknown): string {
  if (!(error instanceof AdminRefusal))
    return 'The last request failed; part of it may have been done. Reload the list before trying again.';
  const { subaccountSid, idempotencyKey } = error.details;
  if (typeof subaccountSid === 'string' && error.details.provisioning)
    return `The last request stopped part-way: ${subaccountSid} exists but is not complete.`;
  if (typeof idempotencyKey === 'string')
    return `The last request stopped part-way and may have done part of its work: the same request (idempotency key ${idempotencyKey}) finishes it.`;
  if (REFUSED_BEFORE_ANY_CHANGE.has(error.code)) return 'Nothing was changed by the last request.';
  return 'The last request failed; part of it may have been done. Reload the list before trying again.';
}
