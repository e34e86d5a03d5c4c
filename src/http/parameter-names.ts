/**
 * Which parameter names a function takes, read from its zod object schema (`shape`, zod's public API),
 * and a name it does not take found by zod itself: the schema made strict reports it as an
 * `unrecognized_keys` issue (https://zod.dev/api#strict). So the unknown-name check holds for every route
 * of the table without a list kept beside it.
 */
import { z } from 'zod';
import { badRequest, type ServiceError } from '../errors/service-error';
import { closestName } from './closest-name';

/** The names an object schema takes. */
export function parameterNames(schema: z.ZodObject): readonly string[] {
  return Object.keys(schema.shape);
}

/** A wrapper that takes the same input as the schema inside it (optional, default, nullable, ...). */
interface Unwrappable {
  unwrap(): z.ZodType;
}

const isUnwrappable = (field: z.ZodType): field is z.ZodType & Unwrappable =>
  'unwrap' in field && typeof field.unwrap === 'function';

/**
 * What a field is, in words (its `.describe()`), looked for through the wrappers around it: a
 * description given before `.optional()` or `.default()` stays on the inner schema.
 */
export function fieldDescription(field: z.ZodType | undefined): string | undefined {
  if (!field) return undefined;
  if (field.description) return field.description;
  if (field instanceof z.ZodPipe)
    return fieldDescription(field.out as z.ZodType) ?? fieldDescription(field.in as z.ZodType);
  if (isUnwrappable(field)) return fieldDescription(field.unwrap());
  return undefined;
}

/** Per schema, the strict object of its names alone (any value): zod then finds the names it lacks. */
const namesOnly = new WeakMap<z.ZodObject, z.ZodObject>();

function namesOnlyOf(schema: z.ZodObject): z.ZodObject {
  let strict = namesOnly.get(schema);
  if (!strict) {
    strict = z.strictObject(
      Object.fromEntries(parameterNames(schema).map((name) => [name, z.unknown().optional()])),
    );
    namesOnly.set(schema, strict);
  }
  return strict;
}

/**
 * Throws `unknownParameter` for the first name in `given` that `schema` does not take, as zod's strict
 * object finds it (`unrecognized_keys`); the values are judged afterwards, by the schema itself.
 */
export function refuseUnknownParameters(given: Record<string, unknown>, schema: z.ZodObject): void {
  const issue = namesOnlyOf(schema)
    .safeParse(given)
    .error?.issues.find((candidate) => candidate.code === 'unrecognized_keys');
  const unknown = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  if (unknown !== undefined) throw unknownParameter(unknown, parameterNames(schema));
}

/**
 * 400 `unknown_parameter`: a name the function does not take. A typo would otherwise be dropped in
 * silence (`--messagingservice true` made a subaccount without one), so it is refused, changing
 * nothing, with the known name it most likely meant (`didYouMean`), or else the names there are.
 */
export function unknownParameter(name: string, known: readonly string[]): ServiceError {
  const meant = closestName(name, known);
  const hint = meant
    ? `did you mean \`${meant}\`?`
    : known.length > 0
      ? `it takes ${known.map((candidate) => `\`${candidate}\``).join(', ')}.`
      : 'it takes no parameters.';
  return badRequest('unknown_parameter', `\`${name}\` is not a parameter of this function: ${hint}`, {
    parameter: name,
    ...(meant ? { didYouMean: meant } : {}),
  });
}
