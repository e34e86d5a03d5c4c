import type { Context, ServerlessCallback } from '@twilio-labs/serverless-runtime-types/types';
import { loadConfig, type ServiceConfig } from '../config/config';
import { forbidden, isServiceError } from '../errors/service-error';
import type { FunctionHandler } from '../http/json-function';
import { errorResponse } from '../http/json-response';
import { headerValue, type FunctionEvent } from '../http/request-input';
import { logger } from '../log/logger';
import { isGenuineTwilioRequest } from '../webhooks/verify-webhook';
import { webhookParamsOf } from '../webhooks/webhook-params';
import { apology, reject, sayAndHangUp, twimlResponse } from './twiml';
import { CREDENTIALS_REJECTED_SPEECH, ownCredentialsRejected } from '../connected/voice-refusal';
import { voiceLinks, type VoiceLinks } from './voice-links';
import { voicePolicyOf, webhookAccountOf, type Admission, type VoicePolicy } from './voice-policy';
import { signingTokensOf } from './webhook-token';

/** A verified webhook request from Twilio, for an account we serve. */
export interface VoiceRequest {
  config: ServiceConfig;
  policy: VoicePolicy;
  links: VoiceLinks;
  /** A parameter's text; undefined when absent. */
  param(name: string): string | undefined;
}

export interface VoiceWebhook {
  /** The Function's own path, used when the runtime does not say (`context.PATH`). */
  path: string;
  admission: Admission;
  /** The number of the account whose registry item the answer needs (called number, caller ID), if any. */
  number?(param: (name: string) => string | undefined): string | undefined;
  /**
   * Work the answer will need that depends on the request's parameters alone (classifying a dialled
   * number), done while the request waits for its tenant's registry read: on a new instance that read
   * is a round trip to Sync, and the work would otherwise come after it. Runs only when a read of the
   * tenant's item starts, so a SID that is not ours gets none of it, but for the one read an instance
   * makes before its first listing (known-tenants.ts); what it throws is ignored (the answer meets the
   * same error and apologises).
   */
  whileReading?(param: (name: string) => string | undefined): void;
  /** TwiML text for the call, from cached data only. May throw: the caller then hears an apology. */
  answer(request: VoiceRequest): string;
  /**
   * Tells others what the request reported (events.md), after the TwiML is made and before it is sent:
   * a Function's work ends with its answer. Bounded by the event delivery timeout; never throws.
   */
  report?(request: VoiceRequest): Promise<void>;
}

const log = logger('voice');

/**
 * Turns the TwiML logic of one voice webhook into a Functions handler that Twilio can rely on, deciding
 * whether the request is genuine before reading anything the answer needs:
 * - no X-Twilio-Signature; parameters Twilio could not have sent (over the caps of webhook-params.ts,
 *   repeated, not text); an `AccountSid` that is neither our main account nor one of our tenants
 *   (answered from memory, known-tenants.ts); or a signature that does not verify with that account's
 *   auth token (webhook-token.ts): 403 (JSON error), no TwiML, and no read of a number or a policy;
 * - a verified account in a status the webhook does not admit (suspended, still being created):
 *   `<Reject>`;
 * - anything failing inside (the registry or Twilio unreachable when the account's item must be read,
 *   a bug): an apology and `<Hangup/>`, never an error page, which Twilio would answer with its own
 *   "application error" message.
 */
export function voiceWebhook(webhook: VoiceWebhook): FunctionHandler {
  return async (context: Context, event: FunctionEvent, callback: ServerlessCallback) => {
    try {
      const signature = headerValue(event.request?.headers, 'x-twilio-signature') ?? '';
      // Bounded work first: the caps are checked before anything looks at a parameter or computes an HMAC.
      const params = signature ? webhookParamsOf(event) : undefined;
      if (!params) return callback(null, notFromTwilio());
      const config = loadConfig(context);
      const accountSid = params.AccountSid ?? '';
      const path = functionPath(context, webhook.path);
      const param = (name: string) => (Object.hasOwn(params, name) ? params[name] : undefined);
      const whileReading = webhook.whileReading && (() => afterNextPoll(() => prepare(webhook, param)));
      const verified = await verifiedAccount(config, { signature, path, params }, whileReading);
      if ('refusal' in verified) return callback(null, verified.refusal);
      const { account } = verified;
      const found = voicePolicyOf(config, account, webhook.admission, webhook.number?.(param));
      const policy = found instanceof Promise ? await found : found;
      if (!policy) {
        log.debug(`${webhook.path}: rejected a call for account ${accountSid}, which is not served`);
        return callback(null, twimlResponse(reject()));
      }
      const request: VoiceRequest = { config, policy, links: voiceLinks(config), param };
      const twiml = webhook.answer(request);
      await webhook.report?.(request);
      return callback(null, twimlResponse(twiml));
    } catch (error) {
      log.error(`${webhook.path}: answered with an apology after an error`, { error: describe(error) });
      return callback(null, twimlResponse(apology()));
    }
  };
}

/**
 * Runs `work` once the read just started is on the wire. twilio's client opens the request's socket
 * when the handler's code yields (axios's promise chain), and the connection completes, and the
 * request is written, in the event loop's next poll phase; work started before then would hold the
 * request back instead of overlapping its round trip. An immediate queued now runs in this turn's
 * check phase, before that poll; the one it queues runs after it
 * (https://nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick).
 */
function afterNextPoll(work: () => void): void {
  setImmediate(() => setImmediate(work));
}

/** A webhook's `whileReading`; what it throws is ignored. */
function prepare(webhook: VoiceWebhook, param: (name: string) => string | undefined): void {
  try {
    webhook.whileReading?.(param);
  } catch {
    // The answer meets the same error itself.
  }
}

type WebhookAccount = NonNullable<Awaited<ReturnType<typeof webhookAccountOf>>>;
type Refusal = ReturnType<typeof notFromTwilio> | ReturnType<typeof twimlResponse>;

/**
 * The account a webhook request is for, once its signature verified with that account's auth token;
 * otherwise the answer that refuses it. Reads nothing but the account's cached item (and, for a
 * signature that fails, what webhook-token.ts allows).
 */
async function verifiedAccount(
  config: ServiceConfig,
  request: { signature: string; path: string; params: Record<string, string> },
  whileReading?: () => void,
): Promise<{ account: WebhookAccount } | { refusal: Refusal }> {
  const { path, params } = request;
  const accountSid = params.AccountSid ?? '';
  let account: WebhookAccount | undefined;
  try {
    // Warm requests take what the caches hold, without waiting on any promise.
    const named = webhookAccountOf(config, accountSid, Date.now(), whileReading);
    account = named instanceof Promise ? await named : named;
  } catch (error) {
    return refusedUnlessGenuine(config, request, error);
  }
  if (!account) {
    log.debug(`${path}: refused a request for ${accountSid || '(none)'}, which is not ours`);
    return { refusal: notFromTwilio() };
  }
  const tenant = account.kind === 'tenant' ? account.tenant : undefined;
  const held = tenant?.value?.account;
  // A connected account whose token Twilio refuses: no signature can be checked, and the caller is
  // told why (connected/voice-refusal.ts).
  if (held?.connection?.credentialsRejected) return { refusal: credentialsRefusal() };
  const tokens = signingTokensOf(config, accountSid, tenant);
  const verdict = isGenuineTwilioRequest(config, request, tokens);
  if (typeof verdict === 'boolean' ? verdict : await verdict) return { account };
  if (held?.kind === 'connected' && (await ownCredentialsRejected(config, accountSid))) {
    log.debug(`${path}: refused a call for ${accountSid}, whose auth token Twilio refuses`);
    return { refusal: credentialsRefusal() };
  }
  log.debug(`${path}: refused a request for ${accountSid} whose signature does not verify`);
  return { refusal: notFromTwilio() };
}

/**
 * The tenant's `account` item was refused (registry_item_invalid: changed outside the service, or an
 * older copy put back): the token copy it holds cannot be trusted, so the signature is checked with
 * Twilio's token alone (webhook-token.ts: a re-read bounded per tenant and instance, and no registry
 * write for a tenant without a trusted copy). A request it does not verify is refused like any forgery
 * (403), so a token rotated away does not buy an answer; a genuine one hears the apology (the error
 * goes on to `voiceWebhook`'s catch), as for any registry failure.
 */
async function refusedUnlessGenuine(
  config: ServiceConfig,
  request: { signature: string; path: string; params: Record<string, string> },
  error: unknown,
): Promise<{ refusal: Refusal }> {
  if (!(isServiceError(error) && error.code === 'registry_item_invalid')) throw error;
  const accountSid = request.params.AccountSid ?? '';
  const verdict = isGenuineTwilioRequest(config, request, signingTokensOf(config, accountSid, undefined));
  if (typeof verdict === 'boolean' ? verdict : await verdict) throw error;
  log.debug(
    `${request.path}: refused a request for ${accountSid}, whose item is refused and signature does not verify`,
  );
  return { refusal: notFromTwilio() };
}

function credentialsRefusal() {
  return twimlResponse(sayAndHangUp(CREDENTIALS_REJECTED_SPEECH));
}

function notFromTwilio() {
  return errorResponse(
    forbidden(
      'invalid_signature',
      'This webhook only answers requests signed by Twilio for an account it serves.',
    ),
  );
}

/** The path the request was made to, as the runtime reports it; our own path when it does not. */
function functionPath(context: Context, ownPath: string): string {
  const path: unknown = context.PATH;
  return typeof path === 'string' && path.startsWith('/') ? path : ownPath;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
