/**
 * What the sandbox's Serverless API holds (https://www.twilio.com/docs/serverless/api): plain data like
 * the rest of the state. Uploaded bytes are not in here: a version names its content by SHA-256 in the
 * sandbox's content store (sandbox/serverless/content-store.ts), so the state stays small to copy and save.
 */
import type { Visibility } from '../serverless-runtime/types';

/** The SID prefixes of the Serverless API's resources, as twilio-oai's serverless_v1 patterns give them. */
export type ServerlessSidPrefix = 'ZS' | 'ZE' | 'ZH' | 'ZN' | 'ZB' | 'ZD' | 'ZV' | 'NO';

export interface ServerlessService {
  sid: string;
  accountSid: string;
  uniqueName: string;
  friendlyName: string;
  includeCredentials: boolean;
  uiEditable: boolean;
  /** `<unique name>-<4 digits>`: every Environment's domain starts with it. */
  domainBase: string;
  dateCreated: string;
  dateUpdated: string;
}

export interface ServerlessEnvironment {
  sid: string;
  accountSid: string;
  serviceSid: string;
  uniqueName: string;
  domainSuffix: string | null;
  domainName: string;
  /** The Build of its latest Deployment. */
  buildSid: string | null;
  dateCreated: string;
  dateUpdated: string;
}

/** A Function or an Asset: a name that versions are uploaded under. */
export interface ServerlessResource {
  sid: string;
  kind: 'function' | 'asset';
  accountSid: string;
  serviceSid: string;
  friendlyName: string;
  dateCreated: string;
  dateUpdated: string;
}

export interface ServerlessVersion {
  sid: string;
  kind: 'function' | 'asset';
  accountSid: string;
  serviceSid: string;
  /** The Function's or Asset's SID. */
  resourceSid: string;
  path: string;
  visibility: Visibility;
  /** SHA-256 of the uploaded bytes, the key of the content store. */
  contentHash: string;
  contentType: string;
  dateCreated: string;
}

export type ServerlessBuildStatus = 'building' | 'completed' | 'failed';

export interface ServerlessBuild {
  sid: string;
  accountSid: string;
  serviceSid: string;
  status: ServerlessBuildStatus;
  functionVersionSids: string[];
  assetVersionSids: string[];
  dependencies: { name: string; version: string }[];
  runtime: string;
  /** Why a failed Build failed: Twilio's error code and reason (the Build resource does not answer it). */
  error: { code: number; message: string } | null;
  dateCreated: string;
  dateUpdated: string;
}

export interface ServerlessDeployment {
  sid: string;
  accountSid: string;
  serviceSid: string;
  environmentSid: string;
  buildSid: string;
  dateCreated: string;
  dateUpdated: string;
}

export interface ServerlessVariable {
  sid: string;
  accountSid: string;
  serviceSid: string;
  environmentSid: string;
  key: string;
  value: string;
  dateCreated: string;
  dateUpdated: string;
}

export interface ServerlessState {
  services: ServerlessService[];
  environments: ServerlessEnvironment[];
  resources: ServerlessResource[];
  versions: ServerlessVersion[];
  builds: ServerlessBuild[];
  deployments: ServerlessDeployment[];
  variables: ServerlessVariable[];
}

export function emptyServerlessState(): ServerlessState {
  return {
    services: [],
    environments: [],
    resources: [],
    versions: [],
    builds: [],
    deployments: [],
    variables: [],
  };
}
