/**
 * A Build's `Runtime` held to the Node.js this sandbox runs on. Twilio runs a Build on the Node.js major
 * its Runtime names; the sandbox has one Node.js, so it can only vouch for a Build whose Runtime is no
 * older than that Node.js: a newer local Node.js would accept code the deployed runtime cannot run.
 *
 * Runtimes Twilio builds today: node20 and node22 (node18 ended on 2025-11-10,
 * https://www.twilio.com/en-us/changelog/node-js-v18-support-ending-for-twilio-functions-and-assets)
 * and node24, which needs @twilio/runtime-handler 2.1.2 or later
 * (https://www.twilio.com/en-us/changelog/node-js-v24-is-now-available-for-twilio-functions).
 * twilio-run itself only warns when the local Node.js differs (twilio-run/dist/checks/nodejs-version.js).
 */
import type { BuildOutcome } from './types';
import { BUILD_FAILED } from './build-errors';

export const SUPPORTED_RUNTIMES = ['node20', 'node22', 'node24'] as const;

/** Undefined when the sandbox can run the Build as its Runtime would; else the failed outcome. */
export function checkRuntime(runtime: string, nodeVersion = process.versions.node): BuildOutcome | undefined {
  if (!(SUPPORTED_RUNTIMES as readonly string[]).includes(runtime))
    return {
      status: 'failed',
      code: BUILD_FAILED,
      message: `Runtime ${JSON.stringify(runtime)} is not one Twilio builds (${SUPPORTED_RUNTIMES.join(', ')}).`,
    };
  const wanted = Number(runtime.slice('node'.length));
  const running = Number(nodeVersion.split('.')[0]);
  if (running > wanted)
    return {
      status: 'failed',
      code: BUILD_FAILED,
      message: `The Build asks for ${runtime} but this sandbox runs Node.js ${nodeVersion}: code that needs Node.js ${running} would pass here and fail on Twilio. Run the sandbox on Node.js ${wanted}.`,
    };
  return undefined;
}
