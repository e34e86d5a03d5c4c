import { ServiceError, isServiceError } from '../errors/service-error';

/** What the `twilio` library throws for an error answer (RestException), reduced to what we use. */
interface TwilioRestError {
  status: number;
  code?: number;
  message?: string;
}

export function isTwilioRestError(error: unknown): error is TwilioRestError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    (error as { name?: unknown }).name !== 'ServiceError' &&
    'moreInfo' in error
  );
}

/** Twilio's error code for a resource that does not exist (e.g. an unknown SID). */
export const TWILIO_NOT_FOUND = 20404;

export function isTwilioNotFound(error: unknown): boolean {
  return isTwilioRestError(error) && (error.status === 404 || error.code === TWILIO_NOT_FOUND);
}

function networkErrorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

function isTimeout(error: unknown): boolean {
  const code = networkErrorCode(error);
  return code === 'ECONNABORTED' || code === 'ETIMEDOUT';
}

/** The connection broke before an answer came: a write may or may not have been applied. */
function isConnectionLost(error: unknown): boolean {
  const code = networkErrorCode(error);
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * Turns anything a Twilio REST call can throw into a ServiceError a caller can act on. Twilio's own
 * message is kept (it never holds credentials); its numeric code travels as `twilioCode`.
 */
export function fromTwilioError(error: unknown, action: string): ServiceError {
  if (isServiceError(error)) return error;
  if (isTwilioRestError(error)) {
    const details = { twilioCode: error.code, twilioStatus: error.status };
    const reason =
      `${action} failed: Twilio answered ${error.status}${error.code ? ` (${error.code})` : ''}: ${error.message ?? ''}`.trim();
    if (error.status === 429) return new ServiceError(503, 'twilio_rate_limited', reason, details);
    if (error.status >= 500) return new ServiceError(502, 'twilio_unavailable', reason, details);
    if (error.status === 401 || error.status === 403) {
      return new ServiceError(502, 'twilio_credentials_refused', reason, details);
    }
    if (error.status === 404) return new ServiceError(404, 'twilio_not_found', reason, details);
    return new ServiceError(409, 'twilio_refused', reason, details);
  }
  if (isTimeout(error)) {
    return new ServiceError(
      504,
      'twilio_timeout',
      `${action} failed: Twilio did not answer in time; retry the call.`,
    );
  }
  if (isConnectionLost(error)) {
    return new ServiceError(
      502,
      'twilio_unreachable',
      `${action} failed: the connection to Twilio was lost before it answered; retry the call.`,
    );
  }
  return new ServiceError(
    502,
    'twilio_unreachable',
    `${action} failed: Twilio could not be reached; retry the call.`,
  );
}
