/**
 * Services (https://www.twilio.com/docs/serverless/api/resource/service): what `twilio-run deploy`
 * creates first (@twilio-labs/serverless-api api/services.js createService: UniqueName, FriendlyName,
 * IncludeCredentials, UiEditable), or finds again by unique name when the create is refused.
 */
import { randomInt } from 'node:crypto';
import type { Handlers, RequestContext } from '../../context';
import { nowIso } from '../../rest/dates';
import { TwilioError } from '../../rest/errors';
import { newSid } from '../../rest/ids';
import { pageV1 } from '../../rest/paging';
import { serviceJson } from './json';
import { findService, serverless } from './scope';

/**
 * "This value must be 50 characters or less in length and be unique" (CreateServiceRequest in twilio-oai);
 * it becomes the start of a domain name, so it is held to the characters of one (the Service page:
 * "unique_name ... will be used to form the domain name"). Not confirmed: the exact error codes of a
 * refused name; 20001 for a malformed one and 409 with 20409 for a taken one stand in.
 */
const UNIQUE_NAME = /^[A-Za-z0-9-]{1,50}$/;

const bool = (value: string | null, fallback: boolean): boolean =>
  value === null ? fallback : value.toLowerCase() === 'true';

function createService(context: RequestContext) {
  const uniqueName = context.body.get('UniqueName') ?? '';
  if (!UNIQUE_NAME.test(uniqueName)) {
    throw new TwilioError(400, 20001, 'UniqueName must be 1 to 50 letters, digits or dashes');
  }
  const taken = serverless(context).services.some(
    (service) => service.accountSid === context.credential.accountSid && service.uniqueName === uniqueName,
  );
  if (taken) throw new TwilioError(409, 20409, `Service with UniqueName ${uniqueName} already exists`);
  const now = nowIso();
  const service = {
    sid: newSid('ZS'),
    accountSid: context.credential.accountSid,
    uniqueName,
    friendlyName: context.body.get('FriendlyName') ?? uniqueName,
    includeCredentials: bool(context.body.get('IncludeCredentials'), true),
    uiEditable: bool(context.body.get('UiEditable'), false),
    // `[service unique name]-[random characters]-[optional domain suffix].twil.io`, with four digits in
    // its examples (https://www.twilio.com/docs/serverless/api, "Understanding domains").
    domainBase: `${uniqueName.toLowerCase()}-${String(randomInt(1000, 10000))}`,
    dateCreated: now,
    dateUpdated: now,
  };
  serverless(context).services.push(service);
  return { status: 201, body: serviceJson(service) };
}

function updateService(context: RequestContext) {
  const service = findService(context, context.params.Sid);
  service.friendlyName = context.body.get('FriendlyName') ?? service.friendlyName;
  service.includeCredentials = bool(context.body.get('IncludeCredentials'), service.includeCredentials);
  service.uiEditable = bool(context.body.get('UiEditable'), service.uiEditable);
  service.dateUpdated = nowIso();
  return { status: 200, body: serviceJson(service) };
}

/** A Service goes with everything in it. */
function deleteService(context: RequestContext) {
  const service = findService(context, context.params.Sid);
  const state = serverless(context);
  const keep = <T extends { serviceSid: string }>(items: T[]) =>
    items.filter((item) => item.serviceSid !== service.sid);
  state.services = state.services.filter((candidate) => candidate.sid !== service.sid);
  state.environments = keep(state.environments);
  state.resources = keep(state.resources);
  state.versions = keep(state.versions);
  state.builds = keep(state.builds);
  state.deployments = keep(state.deployments);
  state.variables = keep(state.variables);
  return { status: 204 };
}

export const serviceHandlers: Handlers = {
  ListService: (context) => {
    const services = serverless(context).services.filter(
      (service) => service.accountSid === context.credential.accountSid,
    );
    return { status: 200, body: pageV1(services.map(serviceJson), context, 'services') };
  },
  CreateService: createService,
  FetchService: (context) => ({ status: 200, body: serviceJson(findService(context, context.params.Sid)) }),
  UpdateService: updateService,
  DeleteService: deleteService,
};
