import type { CredentialKind } from './rest/auth';
import type { FaultKind } from './faults';
import { matches, type RequestMatch } from './request-match';

export interface LoggedRequest {
  method: string;
  host: string;
  path: string;
  query: Record<string, string>;
  /** Names of the form fields sent (values are left out: some are secrets), sorted. */
  fields: string[];
  operationId: string | null;
  /** Null when the answer was lost (a timeout fault). */
  status: number | null;
  /** The account whose credentials were used, when they authenticated. */
  accountSid: string | null;
  credentialKind: CredentialKind | null;
  fault: FaultKind | null;
}

export interface RequestFilter extends RequestMatch {
  status?: number;
  accountSid?: string;
  credentialKind?: CredentialKind;
}

export function filterRequests(log: LoggedRequest[], filter: RequestFilter = {}): LoggedRequest[] {
  return log.filter(
    (entry) =>
      matches(filter, entry) &&
      (filter.status === undefined || filter.status === entry.status) &&
      (filter.accountSid === undefined || filter.accountSid === entry.accountSid) &&
      (filter.credentialKind === undefined || filter.credentialKind === entry.credentialKind),
  );
}
