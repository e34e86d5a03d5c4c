/**
 * The seam between the sandbox's Serverless API (sandbox/serverless/, which records what
 * `twilio-run deploy` uploads) and the runtime that builds and serves a deployment as Twilio does
 * (sandbox/serverless-runtime/).
 */

export type Visibility = 'public' | 'protected' | 'private';

/** A Function Version or Asset Version of a Build, with the bytes that were uploaded for it. */
export interface DeployedFile {
  /** ZN... for a Function Version, ZN... for an Asset Version (Twilio's SID prefixes). */
  sid: string;
  /** The URL path it is served at, e.g. `/voice`. */
  path: string;
  visibility: Visibility;
  content: Buffer;
}

/** What a Build holds: its `Dependencies` list, its `Runtime`, and its function and asset versions. */
export interface BuildInput {
  sid: string;
  dependencies: { name: string; version: string }[];
  /** The Build's runtime, e.g. `node22`. */
  runtime: string;
  functions: DeployedFile[];
  assets: DeployedFile[];
}

/** A Build ends `completed`, or `failed` with Twilio's error code and the reason. */
export type BuildOutcome = { status: 'completed' } | { status: 'failed'; code: number; message: string };

/** What an Environment's Deployment of a completed Build is run with. */
export interface RunInput {
  build: BuildInput;
  accountSid: string;
  /** The service owner's auth token: `protected` Functions are checked with it. */
  authToken: string;
  serviceSid: string;
  environmentSid: string;
  /** The Environment's domain, `<unique name>-<4 digits>[-<suffix>].twil.io`. */
  domainName: string;
  /** The Environment's Variables. */
  variables: Record<string, string>;
  /** Whether the Service was made with `IncludeCredentials` (ACCOUNT_SID/AUTH_TOKEN in the context). */
  includeCredentials: boolean;
  /** Local port to serve on; a free one when absent. */
  port?: number;
}

export interface RunningDeployment {
  url: string;
  close(): Promise<void>;
}
