import type { Handlers, RequestContext } from '../../context';
import { nowIso, rfc2822 } from '../../rest/dates';
import { newSid } from '../../rest/ids';
import { pageV2010 } from '../../rest/paging';
import type { Application } from '../../state/types';
import { ownedBy, pathAccountSid } from './account-scope';
import { accountUri, applyVoiceSmsHandling } from './uris';

const applicationJson = (app: Application) => ({
  account_sid: app.accountSid,
  api_version: '2010-04-01',
  date_created: rfc2822(app.dateCreated),
  date_updated: rfc2822(app.dateUpdated),
  friendly_name: app.friendlyName,
  message_status_callback: null,
  sid: app.sid,
  sms_fallback_method: 'POST',
  sms_fallback_url: null,
  sms_method: app.smsMethod,
  sms_status_callback: null,
  sms_url: app.smsUrl,
  status_callback: app.statusCallback,
  status_callback_method: app.statusCallbackMethod,
  uri: `${accountUri(app.accountSid)}/Applications/${app.sid}.json`,
  voice_caller_id_lookup: false,
  voice_fallback_method: 'POST',
  voice_fallback_url: null,
  voice_method: app.voiceMethod,
  voice_url: app.voiceUrl,
  public_application_connect_enabled: true,
});

function applyFields(app: Application, body: URLSearchParams): void {
  applyVoiceSmsHandling(app, body);
  app.statusCallbackMethod = body.get('StatusCallbackMethod')?.toUpperCase() ?? app.statusCallbackMethod;
  app.dateUpdated = nowIso();
}

function findApplication(context: RequestContext): Application {
  return ownedBy(context, context.state.applications, pathAccountSid(context));
}

export const applicationHandlers: Handlers = {
  CreateApplication: (context) => {
    const now = nowIso();
    const app: Application = {
      sid: newSid('AP'),
      accountSid: pathAccountSid(context),
      friendlyName: '',
      voiceUrl: null,
      voiceMethod: 'POST',
      statusCallback: null,
      statusCallbackMethod: 'POST',
      smsUrl: null,
      smsMethod: 'POST',
      dateCreated: now,
      dateUpdated: now,
    };
    applyFields(app, context.body);
    context.state.applications.push(app);
    return { status: 201, body: applicationJson(app) };
  },

  ListApplication: (context) => {
    const accountSid = pathAccountSid(context);
    const friendlyName = context.query.get('FriendlyName');
    const apps = context.state.applications.filter(
      (app) => app.accountSid === accountSid && (friendlyName === null || app.friendlyName === friendlyName),
    );
    return { status: 200, body: pageV2010(apps.map(applicationJson), context, 'applications') };
  },

  FetchApplication: (context) => ({ status: 200, body: applicationJson(findApplication(context)) }),

  UpdateApplication: (context) => {
    const app = findApplication(context);
    applyFields(app, context.body);
    return { status: 200, body: applicationJson(app) };
  },

  DeleteApplication: (context) => {
    const app = findApplication(context);
    context.state.applications = context.state.applications.filter((a) => a !== app);
    return { status: 204 };
  },
};
