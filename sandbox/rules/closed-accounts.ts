import type { SandboxState } from '../state/types';

/**
 * "By default, Twilio deletes closed subaccounts 30 days after closure"
 * (https://www.twilio.com/docs/iam/api/subaccounts): the setting is on for every account made since
 * July 5, 2018, and then "we will delete all subaccount data 30 days after closure"
 * (https://support.twilio.com/hc/en-us/articles/223135987-Closing-a-Twilio-subaccount). The account
 * then answers 404 like any unknown SID and leaves the Accounts list.
 */
export const CLOSED_SUBACCOUNT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Deletes every subaccount closed at least 30 days before `now`, with all its data; true if any went. */
export function deleteExpiredSubaccounts(state: SandboxState, now: number): boolean {
  const expired = new Set(
    state.accounts
      .filter(
        (account) =>
          account.ownerAccountSid !== null &&
          account.status === 'closed' &&
          account.closedAt !== undefined &&
          Date.parse(account.closedAt) + CLOSED_SUBACCOUNT_RETENTION_MS <= now,
      )
      .map((account) => account.sid),
  );
  if (expired.size === 0) return false;
  const kept = <T extends { accountSid: string }>(items: T[]) =>
    items.filter((item) => !expired.has(item.accountSid));
  state.accounts = state.accounts.filter((account) => !expired.has(account.sid));
  state.keys = kept(state.keys);
  state.applications = kept(state.applications);
  state.addresses = kept(state.addresses);
  state.incomingPhoneNumbers = kept(state.incomingPhoneNumbers);
  state.calls = kept(state.calls);
  state.recordings = kept(state.recordings);
  state.usageRecords = kept(state.usageRecords);
  state.syncServices = kept(state.syncServices);
  state.syncMaps = kept(state.syncMaps);
  state.syncMapItems = kept(state.syncMapItems);
  state.messagingServices = kept(state.messagingServices);
  state.messagingPhoneNumbers = kept(state.messagingPhoneNumbers);
  return true;
}
