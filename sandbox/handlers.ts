import type { Handlers } from './context';
import { apiV2010Handlers } from './resources/api-v2010';
import { lookupHandlers } from './resources/lookups';
import { messagingHandlers } from './resources/messaging';
import { serverlessHandlers, serverlessUploadHandlers } from './resources/serverless';
import { syncHandlers } from './resources/sync';

/** Operation IDs repeat across APIs (FetchService), so handlers are looked up per host. */
export const HANDLERS_BY_HOST: Record<string, Handlers> = {
  'api.twilio.com': apiV2010Handlers,
  'sync.twilio.com': syncHandlers,
  'messaging.twilio.com': messagingHandlers,
  'lookups.twilio.com': lookupHandlers,
  'serverless.twilio.com': serverlessHandlers,
  'serverless-upload.twilio.com': serverlessUploadHandlers,
};
