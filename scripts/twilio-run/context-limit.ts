/**
 * Twilio's error 82006, "Environment Context too large": "Context size consists of account metadata,
 * domain name, path and Environment variables stored as a JSON string. If this string exceeds 3KB,
 * invocations may fail" (https://www.twilio.com/docs/api/errors/82006; the Runtime limits page,
 * https://www.twilio.com/docs/serverless/functions-assets/limits, lists the same 3 KB). `npm run deploy`
 * refuses before uploading when the Variables would make any Function's context that large. 3 KB is
 * read as 3 × 1024 bytes, as the sandbox's runtime reads it (sandbox/serverless-runtime/build-errors.ts).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const CONTEXT_LIMIT_BYTES = 3 * 1024;

/** A SID's length: the account, service and environment SIDs are two letters and 32 hex digits. */
const SID_PLACEHOLDER = `AC${'0'.repeat(32)}`;

export interface ContextEstimate {
  /** The Variables to upload. */
  variables: Record<string, string>;
  /** The service's unique name (twilio-run: `--service-name`, or package.json's `name`). */
  serviceName: string;
  /** The Environment's domain suffix (twilio-run: `--environment`, `dev` unless given; empty for production). */
  environmentSuffix: string;
  /** Every Function path, e.g. `/admin/subaccounts/create`. */
  functionPaths: string[];
  /** Whether the Service adds ACCOUNT_SID and AUTH_TOKEN (twilio-run creates it with IncludeCredentials). */
  includeCredentials?: boolean;
}

export interface ContextCheck {
  bytes: number;
  /** The largest Variables first, with their share of the context in bytes. */
  largest: { key: string; bytes: number }[];
}

/**
 * The largest context any Function of the deployment gets, counted as Twilio describes it: the domain is
 * not known before the first deploy, so it is taken with the 4 digits Twilio adds
 * (`<name>-0000[-<suffix>].twil.io`, https://www.twilio.com/docs/serverless/api "Understanding domains").
 */
export function largestContext(estimate: ContextEstimate): ContextCheck {
  const domain = `${estimate.serviceName}-0000${estimate.environmentSuffix ? `-${estimate.environmentSuffix}` : ''}.twil.io`;
  const longestPath = estimate.functionPaths.reduce((a, b) => (b.length > a.length ? b : a), '/');
  const context = {
    ACCOUNT_SID: SID_PLACEHOLDER,
    ...(estimate.includeCredentials === false ? {} : { AUTH_TOKEN: '0'.repeat(32) }),
    SERVICE_SID: SID_PLACEHOLDER,
    ENVIRONMENT_SID: SID_PLACEHOLDER,
    DOMAIN_NAME: domain,
    PATH: longestPath,
    ...estimate.variables,
  };
  const largest = Object.entries(estimate.variables)
    .map(([key, value]) => ({ key, bytes: Buffer.byteLength(JSON.stringify({ [key]: value })) - 2 }))
    .sort((a, b) => b.bytes - a.bytes);
  return { bytes: Buffer.byteLength(JSON.stringify(context)), largest };
}

/**
 * A Variable's Value "can be a maximum of 450 bytes in size" (CreateVariableRequest in twilio-oai's
 * serverless_v1): twilio-run sets Variables after the Build, so a refused one would fail the deploy late.
 */
export const VARIABLE_LIMIT_BYTES = 450;

/** Why a deploy must not go ahead, naming the largest Variables; undefined when the context fits. */
export function contextRefusal(estimate: ContextEstimate): string | undefined {
  const { bytes, largest } = largestContext(estimate);
  const tooLong = Object.entries(estimate.variables).find(
    ([, value]) => Buffer.byteLength(value) > VARIABLE_LIMIT_BYTES,
  );
  if (tooLong) {
    return `Variable ${tooLong[0]} is ${Buffer.byteLength(tooLong[1])} bytes, over Twilio's ${VARIABLE_LIMIT_BYTES} for one Variable.`;
  }
  if (bytes <= CONTEXT_LIMIT_BYTES) return undefined;
  const named = largest
    .slice(0, 3)
    .map(({ key, bytes: size }) => `${key} (${size} bytes)`)
    .join(', ');
  return (
    `The Functions context would be ${bytes} bytes, over Twilio's ${CONTEXT_LIMIT_BYTES} (error 82006: ` +
    `every invocation may fail). Largest Variables: ${named}. ` +
    'See https://www.twilio.com/docs/api/errors/82006.'
  );
}

/** The URL path of every Function under a functions folder, as twilio-run names them. */
export function functionPaths(functionsFolder: string): string[] {
  const paths: string[] = [];
  for (const entry of readdirSync(functionsFolder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(js|ts)$/.test(entry.name)) continue;
    const relative = path.relative(functionsFolder, path.join(entry.parentPath, entry.name));
    paths.push(
      `/${relative
        .split(path.sep)
        .join('/')
        .replace(/(\.protected|\.private)?\.(js|ts)$/, '')}`,
    );
  }
  return paths;
}
