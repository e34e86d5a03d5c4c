/**
 * Which parameter names a zod parameter schema knows, read from the schema itself, so the unknown-name
 * check holds for every route of the table without a list kept beside it.
 */
import type { z } from 'zod';
import { badRequest, type ServiceError } from '../errors/service-error';
import { closestName } from './closest-name';

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: readonly z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  innerType?: z.ZodType;
}

const definition = (schema: z.ZodType): SchemaDef => schema._zod.def as unknown as SchemaDef;

/** Wrappers that take the same input as the schema they wrap. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/**
 * The fields an object schema (refined, wrapped, piped, or a union or intersection of objects) accepts,
 * by name, or undefined when it takes any name (a record, a catch-all, anything not an object): then no
 * name is refused.
 */
export function parameterFields(schema: z.ZodType): ReadonlyMap<string, z.ZodType> | undefined {
  const def = definition(schema);
  if (def.type === 'object') {
    const open = def.catchall && definition(def.catchall).type !== 'never';
    return open ? undefined : new Map(Object.entries(def.shape ?? {}));
  }
  if (WRAPPERS.has(def.type) && def.innerType) return parameterFields(def.innerType);
  // A preprocess is a pipe from a transform (which takes anything) into the schema that says what fits.
  if (def.type === 'pipe' && def.in && def.out)
    return definition(def.in).type === 'transform' ? parameterFields(def.out) : parameterFields(def.in);
  const parts = def.type === 'union' ? def.options : def.type === 'intersection' ? [def.left, def.right] : [];
  if (!parts?.length) return undefined;
  const fields = new Map<string, z.ZodType>();
  for (const part of parts) {
    const partFields = part && parameterFields(part);
    if (!partFields) return undefined;
    for (const [name, field] of partFields) if (!fields.has(name)) fields.set(name, field);
  }
  return fields;
}

/** The names of `parameterFields`, or undefined when any name is taken. */
export function parameterNames(schema: z.ZodType): readonly string[] | undefined {
  const fields = parameterFields(schema);
  return fields && [...fields.keys()];
}

/**
 * What a field is, in words (its `.describe()`), looked for through the wrappers around it: a
 * description given before `.optional()` or `.default()` stays on the inner schema.
 */
export function fieldDescription(field: z.ZodType | undefined): string | undefined {
  if (!field) return undefined;
  if (field.description) return field.description;
  const def = definition(field);
  if (WRAPPERS.has(def.type)) return fieldDescription(def.innerType);
  if (def.type === 'pipe') return fieldDescription(def.out) ?? fieldDescription(def.in);
  return undefined;
}

/**
 * Throws `unknownParameter` for the first name in `given` that `known` lacks; `known` undefined (a
 * schema that takes any name) refuses nothing.
 */
export function refuseUnknownParameters(
  given: Record<string, unknown>,
  known: readonly string[] | undefined,
): void {
  if (!known) return;
  const unknown = Object.keys(given).find((name) => !known.includes(name));
  if (unknown !== undefined) throw unknownParameter(unknown, known);
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
