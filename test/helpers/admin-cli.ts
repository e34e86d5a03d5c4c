/**
 * The admin CLI as `npm run admin` runs it (package.json: `node --require tsx/cjs scripts/admin.ts`), one
 * fresh process a call, pointed at a service by SERVICE_URL and ADMIN_API_KEY.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'scripts/admin.ts');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run admin -- ...args`; a non-zero exit is answered with its code, never thrown. */
export function adminCli(args: string[], service: { url: string; adminKey: string }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--require', 'tsx/cjs', MAIN, ...args],
      { cwd: ROOT, env: { ...process.env, SERVICE_URL: service.url, ADMIN_API_KEY: service.adminKey } },
      (error, stdout, stderr) => {
        // A process that could not start at all is the test's failure, not an exit code to assert on.
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}
