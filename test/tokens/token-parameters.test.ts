import fc from 'fast-check';
import { z } from 'zod';
import { isServiceError } from '../../src/errors/service-error';
import { validParameters } from '../../src/http/parameter-validation';
import type { FunctionEvent } from '../../src/http/request-input';
import { MAX_TOKEN_TTL_S, MIN_TOKEN_TTL_S } from '../../src/tokens/issue-token';
import { tokenParameters } from '../../src/tokens/token-parameters';

/**
 * /token reads its parameters by hand, so its cold start loads no schema library; these are the
 * rules, written as the admin routes write theirs (zod through http/parameter-validation.ts), that it
 * must answer exactly like.
 */
const TokenRequest = z.object({
  ttl: z.coerce
    .number()
    .int()
    .min(MIN_TOKEN_TTL_S, `must be at least ${MIN_TOKEN_TTL_S} seconds`)
    .max(MAX_TOKEN_TTL_S, `must be at most ${MAX_TOKEN_TTL_S} seconds (24 hours)`)
    .optional(),
  embedder: z.string().max(300).optional(),
});

const outcome = (read: () => unknown) => {
  try {
    return { value: read() };
  } catch (error) {
    if (!isServiceError(error)) throw error;
    return { status: error.status, code: error.code, message: error.message, details: error.details };
  }
};

const sameAsSchema = (parameters: Record<string, unknown>) => {
  const event = { request: { headers: {}, cookies: {} }, ...parameters } as unknown as FunctionEvent;
  expect(outcome(() => tokenParameters(event))).toEqual(
    outcome(() => validParameters(TokenRequest, parameters)),
  );
};

const numberText = fc.oneof(
  fc.integer({ min: -100_000, max: 200_000 }).map(String),
  fc.double().map(String),
  fc.constantFrom(
    '',
    ' 90 ',
    '1e3',
    '0x40',
    '0b11',
    'Infinity',
    '-Infinity',
    'NaN',
    '-0',
    '1.5',
    '120abc',
    '9007199254740993',
    '-1e20',
  ),
);
const anyValue = fc.oneof(
  numberText,
  fc.double(),
  fc.integer(),
  fc.constantFrom(true, false, null, 1e20, -1e20),
  fc.array(numberText, { maxLength: 2 }),
  fc.string({ maxLength: 320 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 1 }),
);

describe('/token parameters', () => {
  it('answers every ttl and embedder as the equivalent schema does: the same value, or the same 400', () => {
    fc.assert(
      fc.property(
        fc.record(
          { ttl: anyValue, embedder: fc.oneof(anyValue, fc.string({ minLength: 295, maxLength: 305 })) },
          {
            requiredKeys: [],
          },
        ),
        sameAsSchema,
      ),
      { numRuns: 500 },
    );
  });

  it.each([['120'], [' 90 '], [['120']], [''], ['1.5'], [1e20], [-1e20], ['abc'], [86_401], [19]])(
    'ttl %j',
    (ttl) => sameAsSchema({ ttl }),
  );
});
