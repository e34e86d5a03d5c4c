/**
 * Functions and Assets and their Versions
 * (https://www.twilio.com/docs/serverless/api/resource/function,
 * https://www.twilio.com/docs/serverless/api/resource/function-version,
 * https://www.twilio.com/docs/serverless/api/resource/asset,
 * https://www.twilio.com/docs/serverless/api/resource/asset-version). `twilio-run deploy` lists them,
 * creates the missing ones by FriendlyName, then uploads one Version of each on serverless-upload
 * (@twilio-labs/serverless-api api/functions.js, api/assets.js). A Version keeps its bytes in the
 * content store, by hash; a Function Version's content can be read back (FetchFunctionVersionContent).
 */
import type { Handlers, RequestContext } from '../../context';
import { nowIso } from '../../rest/dates';
import { notFound, TwilioError } from '../../rest/errors';
import { newSid } from '../../rest/ids';
import { pageV1 } from '../../rest/paging';
import type { ServerlessResource, ServerlessVersion } from '../../state/serverless-types';
import type { Visibility } from '../../serverless-runtime/types';
import { resourceJson, versionJson } from './json';
import { findResource, findService, ofService, serverless } from './scope';

type Kind = ServerlessResource['kind'];

/** "It can be a maximum of 255 characters" (CreateFunctionRequest, CreateAssetRequest in twilio-oai). */
const MAX_FRIENDLY_NAME = 255;

/**
 * A bound on one upload, so a runaway file cannot fill the sandbox: Twilio limits the size of Function
 * and Asset content (https://www.twilio.com/docs/serverless/functions-assets/limits); the figures here
 * (10 MB a Function, 20 MB an Asset) are not confirmed against that page.
 */
const MAX_CONTENT_BYTES: Record<Kind, number> = { function: 10 * 1024 * 1024, asset: 20 * 1024 * 1024 };

const VISIBILITIES: Visibility[] = ['public', 'protected', 'private'];

function friendlyName(context: RequestContext): string {
  const name = context.body.get('FriendlyName') ?? '';
  if (name.length < 1 || name.length > MAX_FRIENDLY_NAME) {
    throw new TwilioError(400, 20001, `FriendlyName must be 1 to ${MAX_FRIENDLY_NAME} characters`);
  }
  return name;
}

const parentParam = (kind: Kind) => (kind === 'function' ? 'FunctionSid' : 'AssetSid');

function findVersion(context: RequestContext, kind: Kind): ServerlessVersion {
  const resource = findResource(context, kind, context.params[parentParam(kind)]);
  const version = serverless(context).versions.find(
    (candidate) => candidate.resourceSid === resource.sid && candidate.sid === context.params.Sid,
  );
  if (!version) throw notFound(context.path);
  return version;
}

function createVersion(context: RequestContext, kind: Kind) {
  const resource = findResource(context, kind, context.params[parentParam(kind)]);
  const file = context.files.Content;
  const path = context.body.get('Path') ?? '';
  const visibility = context.body.get('Visibility') as Visibility;
  if (!file) throw new TwilioError(400, 20001, 'Content is required');
  if (!path.startsWith('/')) throw new TwilioError(400, 20001, 'Path must start with /');
  if (!VISIBILITIES.includes(visibility))
    throw new TwilioError(400, 20001, `Invalid Visibility ${visibility}`);
  if (file.content.length > MAX_CONTENT_BYTES[kind]) {
    throw new TwilioError(400, 20001, `Content is over ${MAX_CONTENT_BYTES[kind]} bytes`);
  }
  const version: ServerlessVersion = {
    sid: newSid('ZN'),
    kind,
    accountSid: resource.accountSid,
    serviceSid: resource.serviceSid,
    resourceSid: resource.sid,
    path,
    visibility,
    contentHash: context.contents.put(file.content),
    contentType: file.contentType,
    dateCreated: nowIso(),
  };
  serverless(context).versions.push(version);
  return { status: 201, body: versionJson(version) };
}

function resourceHandlers(kind: Kind, name: 'Function' | 'Asset', listKey: string): Handlers {
  const create = (context: RequestContext) => {
    const service = findService(context, context.params.ServiceSid);
    const now = nowIso();
    const resource: ServerlessResource = {
      sid: newSid('ZH'),
      kind,
      accountSid: service.accountSid,
      serviceSid: service.sid,
      friendlyName: friendlyName(context),
      dateCreated: now,
      dateUpdated: now,
    };
    serverless(context).resources.push(resource);
    return { status: 201, body: resourceJson(resource) };
  };
  return {
    [`List${name}`]: (context) => {
      const service = findService(context, context.params.ServiceSid);
      const resources = ofService(serverless(context).resources, service).filter(
        (item) => item.kind === kind,
      );
      return { status: 200, body: pageV1(resources.map(resourceJson), context, listKey) };
    },
    [`Create${name}`]: create,
    [`Fetch${name}`]: (context) => ({
      status: 200,
      body: resourceJson(findResource(context, kind, context.params.Sid)),
    }),
    [`Update${name}`]: (context) => {
      const resource = findResource(context, kind, context.params.Sid);
      Object.assign(resource, { friendlyName: friendlyName(context), dateUpdated: nowIso() });
      return { status: 200, body: resourceJson(resource) };
    },
    [`Delete${name}`]: (context) => {
      const resource = findResource(context, kind, context.params.Sid);
      const state = serverless(context);
      state.resources = state.resources.filter((candidate) => candidate.sid !== resource.sid);
      state.versions = state.versions.filter((version) => version.resourceSid !== resource.sid);
      return { status: 204 };
    },
    [`List${name}Version`]: (context) => {
      const resource = findResource(context, kind, context.params[parentParam(kind)]);
      const versions = serverless(context).versions.filter((version) => version.resourceSid === resource.sid);
      return { status: 200, body: pageV1(versions.map(versionJson), context, `${kind}_versions`) };
    },
    [`Fetch${name}Version`]: (context) => ({ status: 200, body: versionJson(findVersion(context, kind)) }),
  };
}

export const fileHandlers: Handlers = {
  ...resourceHandlers('function', 'Function', 'functions'),
  ...resourceHandlers('asset', 'Asset', 'assets'),
  FetchFunctionVersionContent: (context) => {
    const version = findVersion(context, 'function');
    const { url, sid, account_sid, service_sid, function_sid } = versionJson(version) as ReturnType<
      typeof versionJson
    > & { function_sid: string };
    return {
      status: 200,
      body: {
        sid,
        account_sid,
        service_sid,
        function_sid,
        content: context.contents.get(version.contentHash)?.toString('utf8') ?? '',
        url: `${url}/Content`,
      },
    };
  },
};

/** The uploads, on serverless-upload.twilio.com (sandbox/spec/upload-operations.ts). */
export const uploadHandlers: Handlers = {
  CreateFunctionVersion: (context) => createVersion(context, 'function'),
  CreateAssetVersion: (context) => createVersion(context, 'asset'),
};
