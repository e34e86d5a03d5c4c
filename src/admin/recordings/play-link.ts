import type { Context, ServerlessCallback } from '@twilio-labs/serverless-runtime-types/types';
import { loadConfig, type ServiceConfig } from '../../config/config';
import { forbidden, isServiceError, ServiceError } from '../../errors/service-error';
import { subaccountRegistry } from '../../registry/registry';
import { errorResponse } from '../../http/json-response';
import type { FunctionEvent } from '../../http/request-input';
import { logger } from '../../log/logger';
import { fetchRecordingMedia } from './media';
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
 * suspended or closed customer's recordings are not handed out on links made before.
 */
export async function playRecordingLink(
  context: Context,
  event: FunctionEvent,
  callback: ServerlessCallback,
): Promise<void> {
  try {
    const config = loadConfig(context);
    const claims = verifyMediaLink(config, event as Record<string, unknown>, new Date());
    await requireActive(config, claims);
    const media = await fetchRecordingMedia(config, claims);
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

async function requireActive(config: ServiceConfig, claims: MediaLinkClaims): Promise<void> {
  const tenant = await subaccountRegistry(config).readAccount(claims.subaccountSid);
  if (tenant?.account.status !== 'active') {
    throw forbidden(
      'subaccount_not_active',
      `${claims.subaccountSid} is not active: its recordings are not played.`,
    );
  }
}
