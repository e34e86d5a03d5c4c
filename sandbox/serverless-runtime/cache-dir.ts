/**
 * Where the runtime keeps installed dependencies and builds: outside the project, in a folder with no
 * node_modules above it, so a deployed Function resolves packages from its Build's dependencies alone
 * (Node.js looks for node_modules in every parent folder of the requiring file).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** SANDBOX_RUNTIME_CACHE, else $XDG_CACHE_HOME or ~/.cache, then twilio-sandbox-runtime. */
export function runtimeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.SANDBOX_RUNTIME_CACHE ??
    path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'twilio-sandbox-runtime');
  const leak = ancestorNodeModules(dir);
  if (leak)
    throw new Error(
      `${leak} would be reachable from every deployed Function under ${dir}; set SANDBOX_RUNTIME_CACHE to a folder outside any Node.js project.`,
    );
  return dir;
}

/** The first node_modules folder in a parent of `dir`, if any. */
function ancestorNodeModules(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(at) === at) return undefined;
  }
}
