/**
 * How the Serverless API finds what a request names (https://www.twilio.com/docs/serverless/api): a
 * Service by SID or unique name ("The SID or unique name of the Service"), within the account of the
 * credential; everything else within its Service. Anything else is Twilio's 20404.
 */
import type { RequestContext } from '../../context';
import { notFound } from '../../rest/errors';
import type {
  ServerlessEnvironment,
  ServerlessResource,
  ServerlessService,
  ServerlessState,
} from '../../state/serverless-types';

export const serverless = (context: RequestContext): ServerlessState => context.state.serverless;

export function findService(context: RequestContext, sidOrName: string | undefined): ServerlessService {
  const service = serverless(context).services.find(
    (candidate) =>
      candidate.accountSid === context.credential.accountSid &&
      (candidate.sid === sidOrName || candidate.uniqueName === sidOrName),
  );
  if (!service) throw notFound(context.path);
  return service;
}

export function findEnvironment(context: RequestContext, sid: string | undefined): ServerlessEnvironment {
  const service = findService(context, context.params.ServiceSid);
  const environment = serverless(context).environments.find(
    (candidate) => candidate.serviceSid === service.sid && candidate.sid === sid,
  );
  if (!environment) throw notFound(context.path);
  return environment;
}

export function findResource(
  context: RequestContext,
  kind: ServerlessResource['kind'],
  sid: string | undefined,
): ServerlessResource {
  const service = findService(context, context.params.ServiceSid);
  const resource = serverless(context).resources.find(
    (candidate) => candidate.kind === kind && candidate.serviceSid === service.sid && candidate.sid === sid,
  );
  if (!resource) throw notFound(context.path);
  return resource;
}

/** Twilio's `DateCreated` order: oldest first, as the lists of the Serverless API answer. */
export const ofService = <T extends { serviceSid: string }>(items: T[], service: ServerlessService): T[] =>
  items.filter((item) => item.serviceSid === service.sid);
