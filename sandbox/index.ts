export {
  startSandbox,
  Sandbox,
  type SandboxOptions,
  type SandboxLimits,
  type CallResult,
  type CallEnded,
} from './sandbox';
export type { SyncObjectUsage, SyncDirectionUsage } from './rules/sync-rate';
export type { Credential, CredentialKind } from './rest/auth';
export type { FaultKind, FaultOptions, FaultRates, RouteRates } from './faults';
export type { LoggedRequest, RequestFilter } from './request-log';
export type { RequestMatch } from './request-match';
export type { SpecViolation } from './server';
export type { SeedOptions, SeedResult, CallOptions, PhoneNumberOptions, UsageOptions } from './state/seed';
export type * from './state/types';
export type { DialOutcome } from './calls/dial-action';
export type { WebhookResult } from './calls/webhook';
export { parseTwiml, findVerb, type TwimlNode } from './calls/twiml';
export { verifyVoiceToken } from './calls/access-token';
export type { CompleteCallOptions, VoicemailOptions } from './calls/call-end';
