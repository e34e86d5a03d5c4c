import { isServiceError, ServiceError } from '../errors/service-error';
import { fromTwilioError, isTwilioRestError } from '../twilio/rest-errors';

/**
 * The error of an idempotent operation that failed part-way, naming its idempotency key (generated when
 * the caller sent none): retrying with that key finishes the operation instead of doing it twice.
 * Anything else (a bug) is passed on untouched.
 */
export function withIdempotencyKey(error: unknown, key: string, action: string): unknown {
  if (!isServiceError(error) && !isTwilioRestError(error)) return error;
  const failure = fromTwilioError(error, action);
  return new ServiceError(
    failure.status,
    failure.code,
    `${failure.message}; retry with the same idempotencyKey to resume.`,
    { ...failure.details, idempotencyKey: key },
  );
}
