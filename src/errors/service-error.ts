/**
 * An error a caller can act on: a stable machine-readable `code`, a sentence for a person, and the HTTP
 * status it maps to. Everything the service refuses or fails at travels as one of these, so it is turned
 * into an HTTP answer (or TwiML) in exactly one place and never leaks a stack trace.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra fields for the JSON error body, e.g. the parameter that was wrong. Never secrets. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new ServiceError(400, code, message, details);

/** A parameter that is missing or malformed: the message and the body both name it. */
export const invalidParameter = (parameter: string, message: string) =>
  new ServiceError(400, 'invalid_parameter', `${parameter}: ${message}`, { parameter });

export const unauthorized = (message: string) => new ServiceError(401, 'unauthorized', message);

export const forbidden = (code: string, message: string) => new ServiceError(403, code, message);

export const notFound = (code: string, message: string) => new ServiceError(404, code, message);

export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new ServiceError(409, code, message, details);

export const isServiceError = (error: unknown): error is ServiceError => error instanceof ServiceError;
