/**
 * Environments (https://www.twilio.com/docs/serverless/api/resource/environment): `twilio-run deploy`
 * finds one by `domain_suffix` or creates it with UniqueName `<suffix>-environment` and DomainSuffix
 * (@twilio-labs/serverless-api api/environments.js createEnvironmentIfNotExists). Its domain is the
 * Service's `domain_base`, then `-<suffix>` when it has one, under twil.io.
 */
import type { Handlers, RequestContext } from '../../context';
import { nowIso } from '../../rest/dates';
import { TwilioError } from '../../rest/errors';
import { newSid } from '../../rest/ids';
import { pageV1 } from '../../rest/paging';
import { environmentJson } from './json';
import { findEnvironment, findService, ofService, serverless } from './scope';

/**
 * UniqueName "can be a maximum of 100 characters", DomainSuffix "a maximum of 16 characters" and
 * "URL-friendly" (CreateEnvironmentRequest in twilio-oai). A taken one is a 409 CONFLICT, "Environment
 * with this UniqueName or DomainSuffix already exists." (twilio/twilio-cli#211,
 * RJPearson94/terraform-provider-twilio#78). Not confirmed: the error codes in those answers; 20001
 * and 20409 stand in.
 */
const DOMAIN_SUFFIX = /^[a-z0-9-]{1,16}$/;

function createEnvironment(context: RequestContext) {
  const service = findService(context, context.params.ServiceSid);
  const uniqueName = context.body.get('UniqueName') ?? '';
  const domainSuffix = context.body.get('DomainSuffix');
  if (uniqueName.length < 1 || uniqueName.length > 100) {
    throw new TwilioError(400, 20001, 'UniqueName must be 1 to 100 characters');
  }
  if (domainSuffix !== null && !DOMAIN_SUFFIX.test(domainSuffix)) {
    throw new TwilioError(400, 20001, 'DomainSuffix must be 1 to 16 lowercase letters, digits or dashes');
  }
  const taken = ofService(serverless(context).environments, service).some(
    (environment) => environment.uniqueName === uniqueName || environment.domainSuffix === domainSuffix,
  );
  if (taken)
    throw new TwilioError(409, 20409, 'Environment with this UniqueName or DomainSuffix already exists.');
  const now = nowIso();
  const environment = {
    sid: newSid('ZE'),
    accountSid: service.accountSid,
    serviceSid: service.sid,
    uniqueName,
    domainSuffix,
    domainName: `${service.domainBase}${domainSuffix ? `-${domainSuffix}` : ''}.twil.io`,
    buildSid: null,
    dateCreated: now,
    dateUpdated: now,
  };
  serverless(context).environments.push(environment);
  return { status: 201, body: environmentJson(environment) };
}

/** An Environment goes with its Variables and Deployments. */
function deleteEnvironment(context: RequestContext) {
  const environment = findEnvironment(context, context.params.Sid);
  const state = serverless(context);
  state.environments = state.environments.filter((candidate) => candidate.sid !== environment.sid);
  state.variables = state.variables.filter((variable) => variable.environmentSid !== environment.sid);
  state.deployments = state.deployments.filter((deployment) => deployment.environmentSid !== environment.sid);
  return { status: 204 };
}

export const environmentHandlers: Handlers = {
  ListEnvironment: (context) => {
    const service = findService(context, context.params.ServiceSid);
    const environments = ofService(serverless(context).environments, service).map(environmentJson);
    return { status: 200, body: pageV1(environments, context, 'environments') };
  },
  CreateEnvironment: createEnvironment,
  FetchEnvironment: (context) => ({
    status: 200,
    body: environmentJson(findEnvironment(context, context.params.Sid)),
  }),
  DeleteEnvironment: deleteEnvironment,
};
