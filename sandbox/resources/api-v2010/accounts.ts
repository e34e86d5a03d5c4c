import { authorizeAccount, requireAccountCredential } from '../../rest/auth';
import type { Handlers } from '../../context';
import { rfc2822, nowIso } from '../../rest/dates';
import { forbidden, invalidParameter, TwilioError } from '../../rest/errors';
import { pageV2010 } from '../../rest/paging';
import { createAccountRecord } from '../../state/seed';
import type { Account, AccountStatus, SandboxState } from '../../state/types';
import { accountUri } from './uris';

const SUBRESOURCES = [
  'addresses',
  'available_phone_numbers',
  'calls',
  'conferences',
  'incoming_phone_numbers',
  'notifications',
  'outgoing_caller_ids',
  'recordings',
  'transcriptions',
  'signing_keys',
];
const SUBRESOURCE_PATHS: Record<string, string> = {
  addresses: 'Addresses',
  available_phone_numbers: 'AvailablePhoneNumbers',
  calls: 'Calls',
  conferences: 'Conferences',
  incoming_phone_numbers: 'IncomingPhoneNumbers',
  notifications: 'Notifications',
  outgoing_caller_ids: 'OutgoingCallerIds',
  recordings: 'Recordings',
  transcriptions: 'Transcriptions',
  signing_keys: 'SigningKeys',
};

export function accountJson(account: Account) {
  const uri = accountUri(account.sid);
  return {
    auth_token: account.authToken,
    date_created: rfc2822(account.dateCreated),
    date_updated: rfc2822(account.dateUpdated),
    friendly_name: account.friendlyName,
    owner_account_sid: account.ownerAccountSid ?? account.sid,
    sid: account.sid,
    status: account.status,
    subresource_uris: Object.fromEntries(
      SUBRESOURCES.map((name) => [name, `${uri}/${SUBRESOURCE_PATHS[name]}.json`]),
    ),
    type: 'Full',
    uri: `${uri}.json`,
  };
}

/** Closing an account releases its numbers for ever, as on Twilio; 30 days later the account goes too. */
function close(state: SandboxState, account: Account, now: number): void {
  account.closedAt = new Date(now).toISOString();
  state.incomingPhoneNumbers = state.incomingPhoneNumbers.filter((n) => n.accountSid !== account.sid);
  state.messagingPhoneNumbers = state.messagingPhoneNumbers.filter((n) => n.accountSid !== account.sid);
}

const STATUSES: AccountStatus[] = ['active', 'suspended', 'closed'];

export const accountHandlers: Handlers = {
  CreateAccount: ({ state, credential, body, rules }) => {
    requireAccountCredential(credential);
    if (credential.kind !== 'main') throw forbidden('Subaccounts cannot create subaccounts');
    // 21480 "Reached maximum number of subaccounts" (https://www.twilio.com/docs/api/errors/21480); its
    // HTTP status is not documented (400 assumed), nor whether closed subaccounts not yet deleted count
    // towards the limit: counting them is the stricter reading.
    const held = state.accounts.filter((account) => account.ownerAccountSid === credential.accountSid).length;
    if (held >= rules.subaccountLimit) {
      throw new TwilioError(
        400,
        21480,
        'Reached maximum number of subaccounts, please contact Twilio if you want to create more subaccounts.',
      );
    }
    const friendlyName = body.get('FriendlyName');
    const account = createAccountRecord(state, {
      ownerAccountSid: credential.accountSid,
      ...(friendlyName ? { friendlyName } : {}),
    });
    return { status: 201, body: accountJson(account) };
  },

  ListAccount: ({ state, credential, query, path }) => {
    requireAccountCredential(credential);
    const visible = state.accounts.filter(
      (account) =>
        account.sid === credential.accountSid ||
        (credential.kind === 'main' && account.ownerAccountSid === credential.accountSid),
    );
    const friendlyName = query.get('FriendlyName');
    const status = query.get('Status');
    const matching = visible.filter(
      (account) =>
        (friendlyName === null || account.friendlyName === friendlyName) &&
        (status === null || account.status === status),
    );
    return { status: 200, body: pageV2010(matching.map(accountJson), { path, query }, 'accounts') };
  },

  FetchAccount: ({ state, credential, params }) => {
    requireAccountCredential(credential);
    return { status: 200, body: accountJson(authorizeAccount(state, credential, params.Sid ?? '')) };
  },

  UpdateAccount: ({ state, credential, params, body, rules }) => {
    requireAccountCredential(credential);
    const account = authorizeAccount(state, credential, params.Sid ?? '');
    const status = body.get('Status') as AccountStatus | null;
    if (status !== null) {
      if (!STATUSES.includes(status)) throw invalidParameter(`Status must be one of ${STATUSES.join(', ')}`);
      if (account.status === 'closed') {
        throw new TwilioError(
          400,
          21479,
          'Unable to update Status for subaccount, subaccount has been closed.',
        );
      }
      if (!account.ownerAccountSid) {
        throw forbidden('The main account cannot change its own status through the API');
      }
      if (account.ownerAccountSid !== credential.accountSid) {
        throw forbidden("Only the parent account may change a subaccount's status");
      }
    }
    const friendlyName = body.get('FriendlyName');
    if (friendlyName) account.friendlyName = friendlyName;
    if (status !== null && status !== account.status) {
      account.status = status;
      if (status === 'closed') close(state, account, rules.now);
    }
    account.dateUpdated = nowIso();
    return { status: 200, body: accountJson(account) };
  },
};
