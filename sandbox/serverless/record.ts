import type { SandboxState } from '../state/types';

/**
 * `GET /__sandbox/serverless`: what was deployed to the sandbox, for people and tests: services,
 * environments, builds (status, dependencies, runtime, versions, and why a failed one failed), function
 * and asset versions (SID, path, visibility), deployments. No content and no Variable values (they hold
 * the service's secrets); Variable keys only. `ranFrom`: for each Function Version that ran in a
 * deployment served by the sandbox, the SID-named file it ran from (null until it runs).
 */
export function serverlessRecord(state: SandboxState, ranFrom: ReadonlyMap<string, string> = new Map()) {
  const { services, environments, versions, builds, deployments, variables } = state.serverless;
  const versionView = (kind: 'function' | 'asset') =>
    versions
      .filter((version) => version.kind === kind)
      .map(({ sid, serviceSid, resourceSid, path, visibility, contentType, dateCreated }) => ({
        sid,
        serviceSid,
        [kind === 'function' ? 'functionSid' : 'assetSid']: resourceSid,
        path,
        visibility,
        contentType,
        dateCreated,
        ...(kind === 'function' ? { ranFrom: ranFrom.get(sid) ?? null } : {}),
      }));
  return {
    services: services.map(
      ({ sid, accountSid, uniqueName, friendlyName, includeCredentials, uiEditable, domainBase }) => ({
        sid,
        accountSid,
        uniqueName,
        friendlyName,
        includeCredentials,
        uiEditable,
        domainBase,
      }),
    ),
    environments: environments.map((environment) => ({
      sid: environment.sid,
      serviceSid: environment.serviceSid,
      uniqueName: environment.uniqueName,
      domainSuffix: environment.domainSuffix,
      domainName: environment.domainName,
      buildSid: environment.buildSid,
      variableKeys: variables
        .filter((variable) => variable.environmentSid === environment.sid)
        .map((v) => v.key),
    })),
    builds: builds.map((build) => ({
      sid: build.sid,
      serviceSid: build.serviceSid,
      status: build.status,
      dependencies: build.dependencies,
      runtime: build.runtime,
      functionVersionSids: build.functionVersionSids,
      assetVersionSids: build.assetVersionSids,
      error: build.error,
      dateCreated: build.dateCreated,
      dateUpdated: build.dateUpdated,
    })),
    functionVersions: versionView('function'),
    assetVersions: versionView('asset'),
    deployments: deployments.map(({ sid, serviceSid, environmentSid, buildSid, dateCreated }) => ({
      sid,
      serviceSid,
      environmentSid,
      buildSid,
      dateCreated,
    })),
  };
}
