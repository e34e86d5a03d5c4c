import type { RunInput } from '../serverless-runtime/types';
import type { SandboxState } from '../state/types';
import { buildInputOf } from './build-input';
import type { ContentStore } from './content-store';

/**
 * What an Environment's latest Deployment runs with: its completed Build, the service owner's
 * credentials, the Environment's domain and Variables, and whether the Service includes credentials.
 */
export function runInputOf(state: SandboxState, contents: ContentStore, environmentSid: string): RunInput {
  const { environments, services, builds, variables } = state.serverless;
  const environment = environments.find((candidate) => candidate.sid === environmentSid);
  if (!environment) throw new Error(`No Environment ${environmentSid}`);
  const build = builds.find((candidate) => candidate.sid === environment.buildSid);
  if (!build) throw new Error(`Environment ${environment.uniqueName} has no Deployment`);
  if (build.status !== 'completed')
    throw new Error(
      `Build ${build.sid} is ${build.status}${build.error ? `: ${build.error.code} ${build.error.message}` : ''}`,
    );
  const service = services.find((candidate) => candidate.sid === environment.serviceSid);
  const owner = state.accounts.find((account) => account.sid === environment.accountSid);
  if (!service || !owner) throw new Error(`Environment ${environment.uniqueName} has no Service or owner`);
  return {
    build: buildInputOf(state, contents, build),
    accountSid: owner.sid,
    authToken: owner.authToken,
    serviceSid: service.sid,
    environmentSid: environment.sid,
    domainName: environment.domainName,
    variables: Object.fromEntries(
      variables
        .filter((variable) => variable.environmentSid === environment.sid)
        .map((variable) => [variable.key, variable.value]),
    ),
    includeCredentials: service.includeCredentials,
  };
}
