/**
 * Deployments (https://www.twilio.com/docs/serverless/api/resource/deployment): a completed Build made
 * the one an Environment serves (`twilio-run deploy` ends with one, api/builds.js activateBuild), and
 * the Environment's Logs (https://www.twilio.com/docs/serverless/api/resource/logs), which the sandbox
 * lists empty: its Functions' console output goes to the runtime's own log.
 */
import type { Handlers, RequestContext } from '../../context';
import { nowIso } from '../../rest/dates';
import { notFound, TwilioError } from '../../rest/errors';
import { newSid } from '../../rest/ids';
import { pageV1 } from '../../rest/paging';
import { deploymentJson } from './json';
import { findEnvironment, serverless } from './scope';

function createDeployment(context: RequestContext) {
  const environment = findEnvironment(context, context.params.EnvironmentSid);
  const buildSid = context.body.get('BuildSid');
  const build = serverless(context).builds.find(
    (candidate) => candidate.sid === buildSid && candidate.serviceSid === environment.serviceSid,
  );
  if (!build)
    throw new TwilioError(400, 20001, `BuildSid ${buildSid ?? '(none)'} is not a Build of this Service`);
  // Not confirmed: the code Twilio answers for a Build that is not `completed`; 20001 stands in.
  if (build.status !== 'completed')
    throw new TwilioError(400, 20001, `Build ${build.sid} is ${build.status}`);
  const now = nowIso();
  const deployment = {
    sid: newSid('ZD'),
    accountSid: environment.accountSid,
    serviceSid: environment.serviceSid,
    environmentSid: environment.sid,
    buildSid: build.sid,
    dateCreated: now,
    dateUpdated: now,
  };
  serverless(context).deployments.push(deployment);
  Object.assign(environment, { buildSid: build.sid, dateUpdated: now });
  return { status: 201, body: deploymentJson(deployment) };
}

export const deploymentHandlers: Handlers = {
  ListDeployment: (context) => {
    const environment = findEnvironment(context, context.params.EnvironmentSid);
    const deployments = serverless(context).deployments.filter(
      (item) => item.environmentSid === environment.sid,
    );
    return { status: 200, body: pageV1(deployments.map(deploymentJson), context, 'deployments') };
  },
  CreateDeployment: createDeployment,
  FetchDeployment: (context) => {
    const environment = findEnvironment(context, context.params.EnvironmentSid);
    const deployment = serverless(context).deployments.find(
      (item) => item.environmentSid === environment.sid && item.sid === context.params.Sid,
    );
    if (!deployment) throw notFound(context.path);
    return { status: 200, body: deploymentJson(deployment) };
  },
  ListLog: (context) => {
    findEnvironment(context, context.params.EnvironmentSid);
    return { status: 200, body: pageV1([], context, 'logs') };
  },
  FetchLog: (context) => {
    findEnvironment(context, context.params.EnvironmentSid);
    throw notFound(context.path);
  },
};
