/** The Serverless API's answers, shaped as twilio-oai's serverless_v1 schemas describe them. */
import { iso8601 } from '../../rest/dates';
import type {
  ServerlessBuild,
  ServerlessDeployment,
  ServerlessEnvironment,
  ServerlessResource,
  ServerlessService,
  ServerlessVariable,
  ServerlessVersion,
} from '../../state/serverless-types';

export const BASE = 'https://serverless.twilio.com/v1';

const serviceUrl = (serviceSid: string) => `${BASE}/Services/${serviceSid}`;

export const serviceJson = (service: ServerlessService) => ({
  sid: service.sid,
  account_sid: service.accountSid,
  friendly_name: service.friendlyName,
  unique_name: service.uniqueName,
  include_credentials: service.includeCredentials,
  ui_editable: service.uiEditable,
  domain_base: service.domainBase,
  date_created: iso8601(service.dateCreated),
  date_updated: iso8601(service.dateUpdated),
  url: serviceUrl(service.sid),
  links: {
    functions: `${serviceUrl(service.sid)}/Functions`,
    assets: `${serviceUrl(service.sid)}/Assets`,
    environments: `${serviceUrl(service.sid)}/Environments`,
    builds: `${serviceUrl(service.sid)}/Builds`,
  },
});

const environmentUrl = (environment: { serviceSid: string; environmentSid: string }) =>
  `${serviceUrl(environment.serviceSid)}/Environments/${environment.environmentSid}`;

export const environmentJson = (environment: ServerlessEnvironment) => {
  const url = environmentUrl({ serviceSid: environment.serviceSid, environmentSid: environment.sid });
  return {
    sid: environment.sid,
    account_sid: environment.accountSid,
    service_sid: environment.serviceSid,
    build_sid: environment.buildSid,
    unique_name: environment.uniqueName,
    domain_suffix: environment.domainSuffix,
    domain_name: environment.domainName,
    date_created: iso8601(environment.dateCreated),
    date_updated: iso8601(environment.dateUpdated),
    url,
    links: { variables: `${url}/Variables`, deployments: `${url}/Deployments`, logs: `${url}/Logs` },
  };
};

const collection = (kind: ServerlessResource['kind']) => (kind === 'function' ? 'Functions' : 'Assets');

export const resourceJson = (resource: ServerlessResource) => {
  const url = `${serviceUrl(resource.serviceSid)}/${collection(resource.kind)}/${resource.sid}`;
  return {
    sid: resource.sid,
    account_sid: resource.accountSid,
    service_sid: resource.serviceSid,
    friendly_name: resource.friendlyName,
    date_created: iso8601(resource.dateCreated),
    date_updated: iso8601(resource.dateUpdated),
    url,
    links: { [resource.kind === 'function' ? 'function_versions' : 'asset_versions']: `${url}/Versions` },
  };
};

const versionUrl = (version: ServerlessVersion) =>
  `${serviceUrl(version.serviceSid)}/${collection(version.kind)}/${version.resourceSid}/Versions/${version.sid}`;

export const versionJson = (version: ServerlessVersion) => {
  const common = {
    sid: version.sid,
    account_sid: version.accountSid,
    service_sid: version.serviceSid,
    path: version.path,
    visibility: version.visibility,
    date_created: iso8601(version.dateCreated),
    url: versionUrl(version),
  };
  return version.kind === 'function'
    ? {
        ...common,
        function_sid: version.resourceSid,
        links: { function_version_content: `${versionUrl(version)}/Content` },
      }
    : { ...common, asset_sid: version.resourceSid };
};

export const buildJson = (build: ServerlessBuild, versions: ServerlessVersion[]) => {
  const url = `${serviceUrl(build.serviceSid)}/Builds/${build.sid}`;
  // A Build lists its versions as objects, as the example of Twilio's Build resource shows them.
  const pick = (sids: string[]) =>
    sids.flatMap((sid) => versions.filter((version) => version.sid === sid)).map(versionJson);
  return {
    sid: build.sid,
    account_sid: build.accountSid,
    service_sid: build.serviceSid,
    status: build.status,
    asset_versions: pick(build.assetVersionSids),
    function_versions: pick(build.functionVersionSids),
    dependencies: build.dependencies,
    runtime: build.runtime,
    date_created: iso8601(build.dateCreated),
    date_updated: iso8601(build.dateUpdated),
    url,
    links: { build_status: `${url}/Status` },
  };
};

export const buildStatusJson = (build: ServerlessBuild) => ({
  sid: build.sid,
  account_sid: build.accountSid,
  service_sid: build.serviceSid,
  status: build.status,
  url: `${serviceUrl(build.serviceSid)}/Builds/${build.sid}/Status`,
});

export const deploymentJson = (deployment: ServerlessDeployment) => ({
  sid: deployment.sid,
  account_sid: deployment.accountSid,
  service_sid: deployment.serviceSid,
  environment_sid: deployment.environmentSid,
  build_sid: deployment.buildSid,
  date_created: iso8601(deployment.dateCreated),
  date_updated: iso8601(deployment.dateUpdated),
  url: `${environmentUrl(deployment)}/Deployments/${deployment.sid}`,
});

export const variableJson = (variable: ServerlessVariable) => ({
  sid: variable.sid,
  account_sid: variable.accountSid,
  service_sid: variable.serviceSid,
  environment_sid: variable.environmentSid,
  key: variable.key,
  value: variable.value,
  date_created: iso8601(variable.dateCreated),
  date_updated: iso8601(variable.dateUpdated),
  url: `${environmentUrl(variable)}/Variables/${variable.sid}`,
});
