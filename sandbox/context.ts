import type { IncomingHttpHeaders } from 'node:http';
import type { Credential } from './auth';
import type { SandboxState } from './state/types';

/** What a resource handler gets: the authenticated request, already routed and checked against the spec. */
export interface RequestContext {
  state: SandboxState;
  credential: Credential;
  host: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface Answer {
  status: number;
  body?: unknown;
}

/** Handlers throw TwilioError to refuse; they change state only once nothing can refuse any more. */
export type Handler = (context: RequestContext) => Answer;

/** Handlers of one API host, by the twilio-oai operationId they implement. */
export type Handlers = Record<string, Handler>;
