import type { Context, ServerlessCallback } from '@twilio-labs/serverless-runtime-types/types';
import { loadConfig, type ServiceConfig } from '../config/config';
import { forbidden } from '../errors/service-error';
import type { FunctionHandler } from '../http/json-function';
import { errorResponse } from '../http/json-response';
import { headerValue, type FunctionEvent } from '../http/request-input';
import { logger } from '../log/logger';
import { isGenuineTwilioRequest, verifiesWithCachedToken } from '../webhooks/verify-webhook';
import { apology, reject, twimlResponse } from './twiml';
import { voiceLinks, type VoiceLinks } from './voice-links';
import { cachedVoicePolicy, voicePolicyOf, type Admission, type VoicePolicy } from './voice-policy';

/** A verified webhook request from Twilio, for an account we serve. */
export interface VoiceRequest {
  config: ServiceConfig;
  policy: VoicePolicy;
  links: VoiceLinks;
  /** A parameter's text; undefined when absent or not plain text (e.g. repeated). */
  param(name: string): string | undefined;
}

export interface VoiceWebhook {
  /** The Function's own path, used when the runtime does not say (`context.PATH`). */
  path: string;
  admission: Admission;
  /** The number of the account whose registry item the answer needs (called number, caller ID), if any. */
  number?(param: (name: string) => string | undefined): string | undefined;
  /** TwiML text for the call, from cached data only. May throw: the caller then hears an apology. */
  answer(request: VoiceRequest): string;
}

const log = logger('voice');

/**
 * Turns the TwiML logic of one voice webhook into a Functions handler that Twilio can rely on:
 * - no X-Twilio-Signature, or one that does not verify with the auth token of the account named in
 *   `AccountSid`: 403 (JSON error), no TwiML;
 * - an account that is neither our main account nor an admitted subaccount of the registry: `<Reject>`;
 * - anything failing inside (registry or Twilio unreachable, a bug): an apology and `<Hangup/>`, never
 *   an error page, which Twilio would answer with its own "application error" message.
 */
export function voiceWebhook(webhook: VoiceWebhook): FunctionHandler {
  return async (context: Context, event: FunctionEvent, callback: ServerlessCallback) => {
    try {
      const signature = headerValue(event.request?.headers, 'x-twilio-signature') ?? '';
      if (!signature) return callback(null, notFromTwilio());
      const config = loadConfig(context);
      const accountSid = textOf(event.AccountSid) ?? '';
      const param = (name: string) => textOf(event[name]);
      const number = webhook.number?.(param);
      // Warm requests take the answers the caches already hold, without waiting on any promise.
      const policy = (
        cachedVoicePolicy(config, accountSid, webhook.admission, number) ?? {
          policy: await voicePolicyOf(config, accountSid, webhook.admission, number),
        }
      ).policy;
      if (!policy) {
        log.debug(
          `${webhook.path}: rejected a call for account ${accountSid || '(none)'}, which is not served`,
        );
        return callback(null, twimlResponse(reject()));
      }
      const path = functionPath(context, webhook.path);
      const request = { accountSid, signature, path, event };
      if (!verifiesWithCachedToken(config, request) && !(await isGenuineTwilioRequest(config, request))) {
        log.debug(`${path}: refused a request for ${accountSid} whose signature does not verify`);
        return callback(null, notFromTwilio());
      }
      const twiml = webhook.answer({
        config,
        policy,
        links: voiceLinks(config),
        param,
      });
      return callback(null, twimlResponse(twiml));
    } catch (error) {
      log.error(`${webhook.path}: answered with an apology after an error`, { error: describe(error) });
      return callback(null, twimlResponse(apology()));
    }
  };
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

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
