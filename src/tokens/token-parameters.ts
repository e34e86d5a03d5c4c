import { badRequest } from '../errors/service-error';
import { readParameters, type FunctionEvent } from '../http/request-input';
import { MAX_TOKEN_TTL_S, MIN_TOKEN_TTL_S } from './issue-token';

/** What POST /token may ask besides its ticket. */
export interface TokenParameters {
  /** Seconds the Voice token lives, when not the default hour. */
  ttl?: number;
  /** Set by the softphone for a ticket it got by `postMessage`: the origin of the page that sent it. */
  embedder?: string;
}

const MAX_EMBEDDER_LENGTH = 300;

/**
 * The parameters of POST /token, read by hand rather than through the admin routes' schemas
 * (http/parameter-validation.ts), which would load a schema library at /token's cold start. The rules
 * and the words are theirs, parameter for parameter (test/tokens/token-parameters.test.ts holds them
 * to the equivalent zod schema): `ttl` is taken as a number the way JavaScript's `Number()` reads it
 * (form fields are text), then must be a whole number of seconds within the token's limits; the first
 * problem, `ttl` before `embedder`, is a 400 naming the parameter.
 */
export function tokenParameters(event: FunctionEvent): TokenParameters {
  const given = readParameters(event);
  const ttl = given.ttl === undefined ? undefined : seconds(asNumber(given.ttl));
  const embedder = given.embedder === undefined ? undefined : origin(given.embedder);
  return {
    ...(ttl === undefined ? {} : { ttl }),
    ...(embedder === undefined ? {} : { embedder }),
  };
}

/** `Number(value)`, or NaN for a value it cannot convert (an object whose `toString` is no function). */
function asNumber(value: unknown): number {
  try {
    return Number(value);
  } catch {
    return Number.NaN;
  }
}

function seconds(value: number): number {
  if (!Number.isFinite(value)) throw invalid('ttl', 'must be a number');
  if (!Number.isInteger(value)) throw invalid('ttl', 'must be int');
  if (value > Number.MAX_SAFE_INTEGER)
    throw invalid('ttl', `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
  if (value < Number.MIN_SAFE_INTEGER)
    throw invalid('ttl', `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`);
  if (value < MIN_TOKEN_TTL_S) throw invalid('ttl', `must be at least ${MIN_TOKEN_TTL_S} seconds`);
  if (value > MAX_TOKEN_TTL_S) throw invalid('ttl', `must be at most ${MAX_TOKEN_TTL_S} seconds (24 hours)`);
  return value;
}

function origin(value: unknown): string {
  if (typeof value !== 'string') throw invalid('embedder', 'must be text');
  if (value.length > MAX_EMBEDDER_LENGTH)
    throw invalid('embedder', `Too big: expected string to have <=${MAX_EMBEDDER_LENGTH} characters`);
  return value;
}

const invalid = (parameter: string, reason: string) =>
  badRequest('invalid_parameter', `${parameter}: ${reason}`, { parameter });
