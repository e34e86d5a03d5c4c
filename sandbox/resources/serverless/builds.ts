/**
 * Builds (https://www.twilio.com/docs/serverless/api/resource/build) and their Status
 * (https://www.twilio.com/docs/serverless/api/resource/build-status). A Build is answered `building`;
 * the sandbox then builds it (sandbox/serverless/build-runner.ts) and it ends `completed` or `failed`,
 * which `twilio-run deploy` polls on the Status subresource once a second
 * (@twilio-labs/serverless-api api/builds.js waitForSuccessfulBuild).
 */
import type { Handlers, RequestContext } from '../../context';
import { nowIso } from '../../rest/dates';
import { notFound, TwilioError } from '../../rest/errors';
import { newSid } from '../../rest/ids';
import { pageV1 } from '../../rest/paging';
import type { ServerlessBuild, ServerlessVersion } from '../../state/serverless-types';
import { buildJson, buildStatusJson } from './json';
import { findService, ofService, serverless } from './scope';

/** The runtimes twilio-oai's `build_enum_runtime` lists. */
const RUNTIMES = new Set(['node8', 'node10', 'node12', 'node14', 'node16', 'node18', 'node20', 'node22']);

/** Not confirmed: the runtime Twilio picks when a Build names none; the newest it lists stands in. */
const DEFAULT_RUNTIME = 'node22';

type Dependency = ServerlessBuild['dependencies'][number];

const isDependency = (value: unknown): value is Dependency =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Dependency).name === 'string' &&
  typeof (value as Dependency).version === 'string';

/**
 * `Dependencies` is a JSON list of `{ name, version }`. twilio-run sends it wrapped in one more pair of
 * double quotes (api/builds.js triggerBuild: `"${JSON.stringify(dependencies)}"`), which Twilio accepts:
 * both forms are read.
 */
function parseDependencies(raw: string | null): Dependency[] {
  if (raw === null || raw === '') return [];
  const unwrapped = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(unwrapped);
  } catch {
    throw new TwilioError(400, 20001, 'Dependencies must be a JSON list of { name, version }');
  }
  if (!Array.isArray(parsed) || !parsed.every(isDependency)) {
    throw new TwilioError(400, 20001, 'Dependencies must be a JSON list of { name, version }');
  }
  return parsed.map(({ name, version }) => ({ name, version }));
}

function versionSids(
  context: RequestContext,
  field: string,
  kind: ServerlessVersion['kind'],
  serviceSid: string,
) {
  const sids = context.body.getAll(field);
  for (const sid of sids) {
    const known = serverless(context).versions.some(
      (version) => version.sid === sid && version.kind === kind && version.serviceSid === serviceSid,
    );
    if (!known)
      throw new TwilioError(400, 20001, `${field}: ${sid} is not a ${kind} version of this Service`);
  }
  return sids;
}

function createBuild(context: RequestContext) {
  const service = findService(context, context.params.ServiceSid);
  const runtime = context.body.get('Runtime') ?? DEFAULT_RUNTIME;
  if (!RUNTIMES.has(runtime)) throw new TwilioError(400, 20001, `Runtime ${runtime} is not supported`);
  const now = nowIso();
  const build: ServerlessBuild = {
    sid: newSid('ZB'),
    accountSid: service.accountSid,
    serviceSid: service.sid,
    status: 'building',
    functionVersionSids: versionSids(context, 'FunctionVersions', 'function', service.sid),
    assetVersionSids: versionSids(context, 'AssetVersions', 'asset', service.sid),
    dependencies: parseDependencies(context.body.get('Dependencies')),
    runtime,
    error: null,
    dateCreated: now,
    dateUpdated: now,
  };
  serverless(context).builds.push(build);
  return { status: 201, body: buildJson(build, serverless(context).versions) };
}

function findBuild(context: RequestContext): ServerlessBuild {
  const service = findService(context, context.params.ServiceSid);
  const build = ofService(serverless(context).builds, service).find(
    (candidate) => candidate.sid === context.params.Sid,
  );
  if (!build) throw notFound(context.path);
  return build;
}

export const buildHandlers: Handlers = {
  ListBuild: (context) => {
    const service = findService(context, context.params.ServiceSid);
    const builds = ofService(serverless(context).builds, service);
    const versions = serverless(context).versions;
    return {
      status: 200,
      body: pageV1(
        builds.map((build) => buildJson(build, versions)),
        context,
        'builds',
      ),
    };
  },
  CreateBuild: createBuild,
  FetchBuild: (context) => ({
    status: 200,
    body: buildJson(findBuild(context), serverless(context).versions),
  }),
  FetchBuildStatus: (context) => ({ status: 200, body: buildStatusJson(findBuild(context)) }),
  DeleteBuild: (context) => {
    const build = findBuild(context);
    const state = serverless(context);
    // Not confirmed: Twilio's answer to deleting the Build an Environment runs; it is refused here.
    if (state.environments.some((environment) => environment.buildSid === build.sid)) {
      throw new TwilioError(409, 20409, `Build ${build.sid} is deployed`);
    }
    state.builds = state.builds.filter((candidate) => candidate.sid !== build.sid);
    return { status: 204 };
  },
};
