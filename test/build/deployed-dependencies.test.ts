/**
 * Twilio installs a deployed service's npm packages itself, from the name and version of each entry of
 * package.json's `dependencies`, which is all twilio-run sends with a Build; the lockfile stays behind
 * (https://www.twilio.com/docs/serverless/functions-assets/functions/dependencies,
 * https://www.twilio.com/docs/serverless/api/resource/build, and getDependencies in
 * https://github.com/twilio-labs/serverless-toolkit/blob/main/packages/serverless-api/src/api/dependencies.ts).
 * So only exact versions make production run what the tests ran, and every package listed is installed
 * into every deployment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
const manifest: { dependencies: Record<string, string> } = readJson('package.json');
const lockfile: { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> } =
  readJson('package-lock.json');

/** twilio-run deploy refuses a service without the Functions runtime among its (pinned) dependencies. */
const RUNTIME_HANDLER = '@twilio/runtime-handler';

describe('the dependencies Twilio installs for the deployed service', () => {
  it('are each pinned to the exact version the lockfile holds', () => {
    const drifted = Object.entries(manifest.dependencies)
      .map(([name, wanted]) => ({ name, wanted, locked: lockfile.packages[`node_modules/${name}`]?.version }))
      .filter(({ wanted, locked }) => wanted !== locked || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(wanted))
      .map(
        ({ name, wanted, locked }) => `${name}: package.json says "${wanted}", the lockfile holds ${locked}`,
      );
    expect(drifted).toEqual([]);
    expect(lockfile.packages['']?.dependencies).toEqual(manifest.dependencies);
  });

  it('are the npm packages the built functions require, and nothing only the build uses', () => {
    const functions = path.join(root, 'dist/functions');
    const required = new Set<string>();
    for (const file of readdirSync(functions, { recursive: true }).map(String)) {
      if (!file.endsWith('.js')) continue;
      const source = readFileSync(path.join(functions, file), 'utf8');
      for (const [, specifier = ''] of source.matchAll(/\brequire\("([^"]+)"\)/g)) {
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier))
          continue;
        required.add(
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        );
      }
    }
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...required, RUNTIME_HANDLER].sort());
  });
});
