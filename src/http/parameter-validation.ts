import type { z } from 'zod';
import { badRequest } from '../errors/service-error';
import { describeProblem } from './parameter-messages';

/**
 * Validates parameters (read from the event by request-input.ts `readParameters`) against a zod
 * schema; the first problem becomes a 400 that names the parameter in words a person uses
 * (`friendlyName: must be at most 64 characters`, "`subaccountSid` is required: the AC... SID of the
 * subaccount"), so a caller knows exactly what to fix.
 */
export function validParameters<Schema extends z.ZodType>(
  schema: Schema,
  values: Record<string, unknown>,
): z.output<Schema> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const { parameter, message } = describeProblem(schema, values, result.error.issues[0]);
  throw badRequest('invalid_parameter', message, { parameter });
}
