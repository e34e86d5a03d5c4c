import { accountItemSchema, numberItemSchema, type AccountItem, type NumberItem } from './schema';

/** An item's data as its schema reads it, or what is wrong with it (`path: problem`). */
export type Checked<T> = { data: T } | { problem: string };

/**
 * The checks of the two items the hot paths read (/voice, its callbacks, /token): schema.ts's
 * `account` and number items. Here they run the zod schemas themselves; the build compiles the same
 * schemas into plain validators and puts them in this module's place in every function
 * (scripts/item-checks-compiled.ts), so a cold function's first read loads no schema library and
 * compiles nothing. test/build/item-checks.test.ts holds the compiled checks to these.
 */
export const checkAccountItem = (data: unknown): Checked<AccountItem> => check(accountItemSchema, data);
export const checkNumberItem = (data: unknown): Checked<NumberItem> => check(numberItemSchema, data);

function check<T>(
  schema: {
    safeParse(
      data: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  data: unknown,
): Checked<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `${issue?.path.map(String).join('.') || 'data'}: ${issue?.message ?? 'does not parse'}` };
}
