/**
 * The hot paths' item checks (src/registry/item-checks.ts) compiled at build time: schema.ts's zod
 * schemas of the `account` and number items, turned into JSON Schema by zod itself
 * (https://zod.dev/json-schema, the input side) and into plain JavaScript validators by Ajv's
 * standalone code (https://ajv.js.org/standalone.html). scripts/build.ts puts the result in
 * item-checks.ts's place in every function, so a function's first registry read loads no schema
 * library and compiles nothing.
 *
 * What JSON Schema cannot say is added here as code, the same as the zod schema's: the `account`
 * item's countries (allowed, and the caller ID's) must be countries libphonenumber knows (a zod `refine`), and prefixes kept by
 * earlier releases are read as countries (its `transform`). Lengths count UTF-16 code units and
 * patterns are plain JavaScript regular expressions, as zod does (`unicode: false`,
 * `unicodeRegExp: false`), and keys zod's non-loose objects do not list are dropped as zod drops them.
 * The reason given for a refused item is Ajv's wording. test/build/item-checks.test.ts holds the
 * result to zod's checks.
 */
import Ajv2020 from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import { z } from 'zod';
import { accountItemSchema, numberItemSchema } from '../src/registry/schema';

/**
 * The schema as JSON Schema, its output side: objects zod strips of unknown keys say
 * `additionalProperties: false`, which Ajv's `removeAdditional` turns into the same stripping; loose
 * ones keep them. (The `account` item's transform is applied after, in code, so its input side.)
 */
const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'output', reused: 'ref' });

/** The module's source (ES module), to be bundled from src/registry (its imports are relative to it). */
export function compiledItemChecks(): string {
  const ajv = new Ajv2020({
    code: { source: true, esm: true },
    unicode: false,
    unicodeRegExp: false,
    removeAdditional: true,
    // A subschema used more than once (an encrypted secret, an API key) is one function, not a copy per
    // use: less code for a cold function to parse.
    inlineRefs: false,
    strict: false,
    // Ajv calls `unicode` deprecated; it still decides how lengths are counted, which must be zod's way.
    logger: false,
  });
  ajv.addSchema(jsonSchema(accountItemSchema.in), 'account');
  ajv.addSchema(jsonSchema(numberItemSchema), 'number');
  const validators = standaloneCode(ajv, { validateAccount: 'account', validateNumber: 'number' });
  return `${validators}
import { isKnownCountry } from '../toll-fraud/destination-guard';
import { readPrefixesAsCountries } from './dialling-prefix-migration';

function describe(errors) {
  const error = errors && errors[0];
  if (!error) return 'data: does not parse';
  const path = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  return (path.join('.') || 'data') + ': ' + error.message;
}

export function checkAccountItem(data) {
  if (!validateAccount(data)) return { problem: describe(validateAccount.errors) };
  const countries = data.allowedCountries || [];
  for (let i = 0; i < countries.length; i++) {
    if (!isKnownCountry(countries[i])) return { problem: 'allowedCountries.' + i + ': Invalid input' };
  }
  if (data.callerCountry !== undefined && !isKnownCountry(data.callerCountry)) {
    return { problem: 'callerCountry: Invalid input' };
  }
  return { data: readPrefixesAsCountries({ ...data }) };
}

export function checkNumberItem(data) {
  return validateNumber(data) ? { data } : { problem: describe(validateNumber.errors) };
}
`;
}
