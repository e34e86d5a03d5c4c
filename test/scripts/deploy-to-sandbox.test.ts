import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDeployment } from '../../sandbox/serverless-runtime';
import { deployToSandbox, type SandboxDeployment } from '../../scripts/local/deploy-to-sandbox';
import { deployVariables } from '../../scripts/twilio-run/twilio-run-deploy';
import { useSandbox } from '../helpers/sandbox';
import { builtRoutes } from '../../testkit/built-routes';
import { serviceEnv } from '../../testkit/service-env';

const root = path.resolve(__dirname, '../..');

/** The project as `npm run deploy` deploys it, in a folder of its own (twilio-run writes .twiliodeployinfo). */
function projectCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'deploy-project-'));
  for (const file of ['package.json', '.twilioserverlessrc'])
    copyFileSync(path.join(root, file), path.join(dir, file));
  symlinkSync(path.join(root, 'dist'), path.join(dir, 'dist'));
  // twilio-run checks that the project has a `src` (or `functions`) folder before deploying, as the repository does.
  mkdirSync(path.join(dir, 'src'));
  return dir;
}

/** Every file under a folder of dist/, as the path twilio-run serves it at. */
const distPaths = (folder: 'functions' | 'assets'): string[] =>
  builtRoutes(path.join(root, 'dist', folder), folder)
    .map((route) => route.path)
    .sort();

describe('deployToSandbox: the real twilio-run deploy, through the proxy, to a sandbox', () => {
  // The sandbox builds as Twilio does: Dependencies installed alone, each Function loaded alone.
  const sandbox = useSandbox({ serverlessBuilder: (input) => buildDeployment(input) });
  const project = projectCopy();
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it("uploads dist/ with package.json's dependencies, builds it and deploys it to the dev environment", async () => {
    const main = sandbox().seed();
    const env = serviceEnv();
    const deployed: SandboxDeployment = await deployToSandbox({
      sandboxUrl: sandbox().baseUrl,
      accountSid: main.accountSid,
      authToken: main.authToken,
      projectDir: project,
      env,
    });
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      name: string;
      dependencies: Record<string, string>;
    };
    expect(deployed.domain).toMatch(new RegExp(`^${pkg.name}-[0-9]{4}-dev\\.twil\\.io$`));

    const record = sandbox().serverlessRecord();
    expect(record.services).toEqual([
      expect.objectContaining({ sid: deployed.serviceSid, uniqueName: pkg.name, includeCredentials: true }),
    ]);
    expect(record.builds).toEqual([
      expect.objectContaining({
        sid: deployed.buildSid,
        status: 'completed',
        runtime: 'node22',
        dependencies: Object.entries(pkg.dependencies).map(([name, version]) => ({ name, version })),
      }),
    ]);
    expect(record.functionVersions.map((version) => version.path).sort()).toEqual(distPaths('functions'));
    // Public but for the library the others require (src/toll-fraud/phone-numbers-library.ts).
    expect(
      Object.fromEntries(
        record.functionVersions
          .filter((version) => version.visibility !== 'public')
          .map((version) => [version.path, version.visibility]),
      ),
    ).toEqual({ '/toll-fraud/phone-numbers': 'private', '/toll-fraud/as-you-type': 'private' });
    expect(record.assetVersions.map((version) => version.path).sort()).toEqual(distPaths('assets'));
    expect(record.deployments).toEqual([
      expect.objectContaining({ sid: deployed.deploymentSid, buildSid: deployed.buildSid }),
    ]);
    expect(record.environments).toEqual([
      expect.objectContaining({
        sid: deployed.environmentSid,
        domainName: deployed.domain,
        buildSid: deployed.buildSid,
        // The Variables npm run deploy uploads, and not the deploy credentials.
        variableKeys: expect.arrayContaining(Object.keys(deployVariables(env))),
      }),
    ]);
    expect(record.environments[0]?.variableKeys).not.toContain('AUTH_TOKEN');
  }, 240_000);
});
