import type { Context, ServerlessCallback } from '@twilio-labs/serverless-runtime-types/types';
import { loadConfig, type ServiceConfig } from '../../config/config';
import { forbidden, isServiceError, ServiceError } from '../../errors/service-error';
import { subaccountRegistry } from '../../registry/registry';
import type { AccountItem } from '../../registry/schema';
import { openAuthToken } from '../../registry/tenant-auth-token';
import { errorResponse } from '../../http/json-response';
import type { FunctionEvent } from '../../http/request-input';
import { logger } from '../../log/logger';
import { fetchRecordingMedia, type MediaCredentials } from './media';
import { verifyMediaLink, type MediaLinkClaims } from './media-link';

const log = logger('recordings');

/**
 * The public end of a signed recording link: the link is checked (media-link.ts) before anything
 * else, then the audio is fetched from Twilio with our credentials and answered as it is (a binary
 * body, as Twilio's own example "Serve an audio file from a private asset" does from a Function:
 * https://www.twilio.com/docs/runtime/assets).
 * Refusals are JSON errors that name no secret; the audio is never cached by the browser or a proxy,
 * and is answered as the audio type of the format the link names with `nosniff`, so nothing the
 * upstream sends is ever rendered as a page of our origin.
 * A link plays only while its subaccount is active (one registry read, after the link verified): a
 * suspended or closed customer's recordings are not handed out on links made before. The same read
 * says whose credentials fetch the audio (`mediaCredentials`).
 */
export async function playRecordingLink(
  context: Context,
  event: FunctionEvent,
  callback: ServerlessCallback,
): Promise<void> {
  try {
    const config = loadConfig(context);
    const claims = verifyMediaLink(config, event as Record<string, unknown>, new Date());
    const account = await activeAccount(config, claims);
    const media = await fetchRecordingMedia(config, claims, mediaCredentials(config, account));
    const response = new Twilio.Response();
    response.setStatusCode(200);
    response.appendHeader('Content-Type', media.contentType);
    response.appendHeader('X-Content-Type-Options', 'nosniff');
    response.appendHeader('Content-Length', String(media.body.length));
    response.appendHeader('Cache-Control', 'private, no-store');
    response.setBody(media.body as unknown as string);
    callback(null, response);
  } catch (error) {
    if (!isServiceError(error)) {
      log.error('recording link failed', { error: error instanceof Error ? error.name : 'unknown' });
    }
    callback(
      null,
      errorResponse(
        isServiceError(error)
          ? error
          : new ServiceError(500, 'internal_error', 'The recording could not be played.'),
      ),
    );
  }
}

async function activeAccount(config: ServiceConfig, claims: MediaLinkClaims): Promise<AccountItem> {
  const tenant = await subaccountRegistry(config).readAccount(claims.subaccountSid);
  if (tenant?.account.status !== 'active') {
    throw forbidden(
      'subaccount_not_active',
      `${claims.subaccountSid} is not active: its recordings are not played.`,
    );
  }
  return tenant.account;
}

/**
 * Who fetches a recording's media: the main account for one of its subaccounts, and a connected
 * account (a customer's own, under no account of ours) as itself, with the auth token its registry
 * item keeps sealed: Twilio answers the main credentials there with 401, error 20003
 * (https://www.twilio.com/docs/iam/api/subaccounts covers only an account's own subaccounts).
 */
function mediaCredentials(config: ServiceConfig, account: AccountItem): MediaCredentials {
  if (account.kind !== 'connected') return { username: config.accountSid, password: config.authToken };
  if (!account.authToken) {
    throw forbidden(
      'subaccount_not_active',
      `${account.sid} holds no credentials: its recordings are not played.`,
    );
  }
  return {
    username: account.sid,
    password: openAuthToken(config.registryKeys, account.sid, account.authToken),
  };
}
