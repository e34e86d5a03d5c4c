import { authorizeAccount, requireAccountCredential } from '../../rest/auth';
import type { Handlers, RequestContext } from '../../context';
import { nowIso, rfc2822 } from '../../rest/dates';
import { ownedBy } from './account-scope';
import { newSecret, newSid } from '../../rest/ids';
import { pageV2010 } from '../../rest/paging';
import type { ApiKey } from '../../state/types';

const keyJson = (key: ApiKey) => ({
  sid: key.sid,
  friendly_name: key.friendlyName,
  date_created: rfc2822(key.dateCreated),
  date_updated: rfc2822(key.dateUpdated),
});

function accountOf(context: RequestContext): string {
  requireAccountCredential(context.credential);
  return authorizeAccount(context.state, context.credential, context.params.AccountSid ?? '').sid;
}

function findKey(context: RequestContext): ApiKey {
  return ownedBy(context, context.state.keys, accountOf(context));
}

export const keyHandlers: Handlers = {
  CreateNewKey: (context) => {
    const accountSid = accountOf(context);
    const now = nowIso();
    const key: ApiKey = {
      sid: newSid('SK'),
      accountSid,
      friendlyName: context.body.get('FriendlyName') ?? '',
      secret: newSecret(),
      dateCreated: now,
      dateUpdated: now,
    };
    context.state.keys.push(key);
    // The only answer that ever carries the secret.
    return { status: 201, body: { ...keyJson(key), secret: key.secret } };
  },

  ListKey: (context) => {
    const accountSid = accountOf(context);
    const keys = context.state.keys.filter((key) => key.accountSid === accountSid).map(keyJson);
    return { status: 200, body: pageV2010(keys, context, 'keys') };
  },

  FetchKey: (context) => ({ status: 200, body: keyJson(findKey(context)) }),

  UpdateKey: (context) => {
    const key = findKey(context);
    const friendlyName = context.body.get('FriendlyName');
    if (friendlyName !== null) key.friendlyName = friendlyName;
    key.dateUpdated = nowIso();
    return { status: 200, body: keyJson(key) };
  },

  DeleteKey: (context) => {
    const key = findKey(context);
    context.state.keys = context.state.keys.filter((k) => k !== key);
    return { status: 204 };
  },
};
