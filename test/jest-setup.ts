/**
 * Runs in every test file's environment before its tests (jest `setupFiles`).
 *
 * jest gives each test file a copy of `process` (jest-util createProcessObject), copying Node's lazy
 * getter of `process.allowedNodeEnvironmentFlags` with it. On the real `process` that getter builds the
 * set once and replaces itself with the value; on the copy it stays a getter and builds the set again on
 * every read, and axios reads it for every request it sends (getDirectAgent, for `--use-env-proxy`). The
 * value is set on the copy here as Node sets it on `process`
 * (https://github.com/nodejs/node/blob/main/lib/internal/bootstrap/node.js), so a suite sending
 * thousands of Twilio requests in-process does not rebuild the set of Node's flags for each one.
 */
const flags = process.allowedNodeEnvironmentFlags;
Object.defineProperty(process, 'allowedNodeEnvironmentFlags', {
  value: flags,
  configurable: true,
  enumerable: true,
  writable: true,
});
