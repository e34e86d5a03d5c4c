/**
 * The one `twilio-run start` command line that serves this project locally, for `npm start` and for the
 * tests that call the built functions over HTTP. No fork and no live reload: one warm process, as a
 * deployed Function container is between requests, and the process-wide state of src/cache/ is then
 * shared by every function it serves (as the runtime-handler does with `--no-fork-process`:
 * https://github.com/twilio-labs/serverless-toolkit/blob/main/packages/twilio-run/src/config/start.ts).
 */
export interface TwilioRunStartOptions {
  port: number;
  /** The .env file the functions' context is read from. */
  envFile: string;
  /** false: no line per request (twilio-run's `--no-logs`), as for a load test; Twilio has no such console. */
  requestLogs?: boolean;
  /** Serve the assets from this folder (relative to the project) instead of the configured one. */
  assetsFolder?: string;
}

/** `node <this array>` runs twilio-run start as configured. */
export function twilioRunStartArgs(options: TwilioRunStartOptions): string[] {
  return [
    require.resolve('twilio-run/bin/twilio-run.js'),
    'start',
    '--port',
    String(options.port),
    '--env',
    options.envFile,
    '--no-fork-process',
    '--no-live',
    ...(options.requestLogs === false ? ['--no-logs'] : []),
    ...(options.assetsFolder ? ['--assets-folder', options.assetsFolder] : []),
  ];
}
