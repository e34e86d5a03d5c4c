/**
 * Installs a Build's `Dependencies` as Twilio's build does: the list alone, as a package.json's
 * `dependencies` (no devDependencies, none of the project's other files), into a folder keyed by a hash
 * of the list, so a second Build with the same list reuses it.
 *
 * Offline: `npm install --offline` takes packages from the local npm cache only. `npm ci` leaves the
 * packages' tarballs in that cache but not the registry's version lists, so npm cannot resolve a range
 * from the cache alone; the project's package-lock.json is given as the index of versions the cache
 * holds, and npm installs from it only what the list reaches (it prunes everything else, the
 * devDependencies' tree included). On Twilio transitive versions float to the newest in range
 * (https://www.twilio.com/docs/serverless/functions-assets/functions/dependencies): only exact pins in
 * the list hold still there.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUILD_FAILED } from './build-errors';
import type { BuildInput, BuildOutcome } from './types';

export type Dependencies = BuildInput['dependencies'];

const projectLockfile = path.resolve(__dirname, '../../package-lock.json');
const MARKER = '.installed';

export function dependenciesHash(dependencies: Dependencies): string {
  const sorted = [...dependencies].sort((a, b) => a.name.localeCompare(b.name));
  return createHash('sha256')
    .update(JSON.stringify(sorted.map(({ name, version }) => [name, version])))
    .digest('hex')
    .slice(0, 16);
}

/** The folder holding `node_modules` for this list, installed now or by an earlier Build. */
export async function installDependencies(
  cacheDir: string,
  dependencies: Dependencies,
): Promise<{ dir: string } | Extract<BuildOutcome, { status: 'failed' }>> {
  const dir = path.join(cacheDir, 'dependencies', dependenciesHash(dependencies));
  if (existsSync(path.join(dir, MARKER))) return { dir };
  // Installed beside and renamed into place, so a start cut off midway never leaves half a tree.
  const staging = `${dir}.${randomBytes(4).toString('hex')}`;
  await mkdir(staging, { recursive: true });
  try {
    const pkg = {
      name: 'twilio-build',
      version: '0.0.0',
      private: true,
      dependencies: Object.fromEntries(dependencies.map(({ name, version }) => [name, version])),
    };
    await writeFile(path.join(staging, 'package.json'), JSON.stringify(pkg, null, 2));
    await writeFile(path.join(staging, 'package-lock.json'), await lockfileIndex(pkg));
    const failure = await npmInstall(staging);
    if (failure) return { status: 'failed', code: BUILD_FAILED, message: failure };
    await writeFile(path.join(staging, MARKER), new Date().toISOString());
    await rename(staging, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another process installed the same list first: theirs is as good.
      if (!existsSync(path.join(dir, MARKER))) throw error;
    });
    return { dir };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The project's lockfile with its root package replaced by the Build's list (see above). */
async function lockfileIndex(pkg: { name: string; version: string; dependencies: object }): Promise<string> {
  const lock = JSON.parse(await readFile(projectLockfile, 'utf8')) as {
    name?: string;
    packages: Record<string, unknown>;
  };
  lock.name = pkg.name;
  lock.packages[''] = { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies };
  return JSON.stringify(lock);
}

/** Undefined when npm installed the list; else npm's own reason, in its words. */
async function npmInstall(dir: string): Promise<string | undefined> {
  const args = ['install', '--offline', '--no-audit', '--no-fund', '--omit=dev', '--loglevel=error'];
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve(undefined);
      const reason = stderr
        .split('\n')
        .filter((line) => /^npm (error|ERR!)/.test(line) && !/A complete log/.test(line))
        .map((line) => line.replace(/^npm (error|ERR!)\s*/, ''))
        .filter(Boolean)
        .slice(0, 3)
        .join(' ');
      resolve(`The Build's dependencies could not be installed: ${reason || `npm exited with ${code}`}`);
    });
  });
}
