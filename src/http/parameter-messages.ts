/**
 * zod's issues in the words of a person fixing a request: `subaccountSid` is required (and what it is),
 * a flag must be true or false, a routing key must be a phone number. zod's own defaults ("Invalid
 * input: expected string, received undefined", "Invalid key in record") say what the validator saw,
 * not what the caller should send.
 */
import { z } from 'zod';
import { fieldDescription } from './parameter-names';

type Issue = z.core.$ZodIssue;

/** zod's type names as a caller would say them. */
const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
};

export interface ParameterProblem {
  /** The parameter at fault, dotted for a nested one (`inboundRouting.+14155550100`), or `body`. */
  parameter: string;
  message: string;
}

/** The first problem zod found in `values`, as the parameter it concerns and a sentence about it. */
export function describeProblem(
  schema: z.ZodType,
  values: Record<string, unknown>,
  issue: Issue | undefined,
): ParameterProblem {
  const path = issue?.path.map(String) ?? [];
  // A bad key of a record is a problem of the record: the key itself is named in the message.
  const at = issue?.code === 'invalid_key' ? path.slice(0, -1) : path;
  const parameter = at.length > 0 ? at.join('.') : 'body';
  if (!issue) return { parameter, message: `${parameter}: is invalid` };
  const top = path[0];
  const fields = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
  const description = fieldDescription(top === undefined ? undefined : fields[top]);
  const custom = issue.message.startsWith('Invalid input') ? undefined : issue.message;
  const what = description ? `: ${description}` : custom ? `: ${custom}` : '';
  if (issue.code === 'invalid_type' && path.length === 1 && top !== undefined && values[top] === undefined)
    return { parameter, message: `\`${parameter}\` is required${what}` };
  return { parameter, message: `${parameter}: ${reason(issue, description)}` };
}

function reason(issue: Issue, description: string | undefined): string {
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input'))
    return `must be ${description ?? TYPE_WORDS[issue.expected] ?? issue.expected}`;
  if (issue.code === 'invalid_key') {
    const key = issue.path.at(-1);
    const inner = issue.issues[0];
    return inner ? `the key \`${String(key)}\` ${inner.message}` : `the key \`${String(key)}\` is not valid`;
  }
  if (issue.code === 'invalid_union') {
    // The branch that got furthest says what fits; a mere type mismatch with one branch says nothing.
    const telling = issue.errors.flat().find((branch) => branch.code !== 'invalid_type');
    if (telling) return telling.message;
  }
  if (issue.message.startsWith('Invalid input') || issue.message === 'Invalid key in record')
    return description ? `must be ${description}` : 'is not valid';
  return issue.message;
}
