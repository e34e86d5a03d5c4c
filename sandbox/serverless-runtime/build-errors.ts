/**
 * Twilio's error codes for a Build that fails and a Function that cannot answer.
 *
 * - 82003 Deployment Installation Failure, "Your latest Functions and Private Assets failed to be
 *   deployed" (https://www.twilio.com/docs/api/errors/82003): a dependency that cannot be installed.
 *   Twilio's dictionary has no code of its own for a Build whose health check fails ("We have run a
 *   health check on the uploaded package and verified it", https://www.twilio.com/docs/serverless/api/resource/build)
 *   nor for a Runtime it does not build, so those fail with 82003 too (not confirmed).
 * - 82002 Error on Twilio Function response: "Your Function timed out before responding"
 *   (https://www.twilio.com/docs/api/errors/82002); a Function is cut off after 10 s ("runtime
 *   application timed out", https://www.twilio.com/docs/serverless/functions-assets/faq).
 * - 82006 Environment Context too large: account metadata, domain name, path and Environment Variables
 *   as one JSON string over 3KB (https://www.twilio.com/docs/api/errors/82006).
 */
export const BUILD_FAILED = 82003;
export const FUNCTION_RESPONSE_ERROR = 82002;
export const CONTEXT_TOO_LARGE = 82006;

/** Twilio's per-invocation execution limit. */
export const EXECUTION_LIMIT_MS = 10_000;
/** 3KB, read as 3 × 1024 bytes of UTF-8 JSON. */
export const CONTEXT_LIMIT_BYTES = 3 * 1024;

export const moreInfo = (code: number) => `https://www.twilio.com/docs/errors/${code}`;
