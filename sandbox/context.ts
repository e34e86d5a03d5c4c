import type { IncomingHttpHeaders } from 'node:http';
import type { Credential } from './rest/auth';
import type { SyncAccess } from './rules/sync-rate';
import type { ContentStore } from './serverless/content-store';
import type { SandboxState } from './state/types';

/** Twilio's limits and the sandbox clock, as one request sees them. */
export interface RequestRules {
  /** The sandbox clock (ms since the epoch): real time, unless a control moved it forward. */
  now: number;
  /** Counts a read or write of a Sync object (a Map item counts on its Map); throws 429 over the limit. */
  syncAccess(objectSid: string, kind: SyncAccess): void;
  /** How many subaccounts a main account may have. */
  subaccountLimit: number;
}

/** What a resource handler gets: the authenticated request, already routed and checked against the spec. */
export interface RequestContext {
  state: SandboxState;
  credential: Credential;
  host: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: URLSearchParams;
  /** The files of a multipart body (the Serverless API's uploads), by field name. */
  files: Record<string, UploadedFile>;
  /** Where uploaded bytes are kept, by hash. */
  contents: ContentStore;
  headers: IncomingHttpHeaders;
  rules: RequestRules;
}

export interface UploadedFile {
  content: Buffer;
  contentType: string;
  filename: string;
}

export interface Answer {
  status: number;
  body?: unknown;
}

/** Handlers throw TwilioError to refuse; they change state only once nothing can refuse any more. */
export type Handler = (context: RequestContext) => Answer;

/** Handlers of one API host, by the twilio-oai operationId they implement. */
export type Handlers = Record<string, Handler>;
