import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deployToSandbox, SandboxDeployError } from '../../scripts/local/deploy-to-sandbox';
import { useSandbox } from '../helpers/sandbox';

/** A project of one Function and no dependencies: what matters here is the Build's outcome. */
function tinyProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'deploy-failure-'));
  mkdirSync(path.join(dir, 'src'));
  mkdirSync(path.join(dir, 'dist/functions'), { recursive: true });
  mkdirSync(path.join(dir, 'dist/assets'), { recursive: true });
  writeFileSync(
    path.join(dir, 'dist/functions/hello.js'),
    'exports.handler = (c, e, cb) => cb(null, "hi");\n',
  );
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'failing-build', dependencies: { '@twilio/runtime-handler': '2.1.0' } }),
  );
  writeFileSync(
    path.join(dir, '.twilioserverlessrc'),
    JSON.stringify({ functionsFolder: 'dist/functions', assetsFolder: 'dist/assets', runtime: 'node22' }),
  );
  return dir;
}

describe('deployToSandbox when the Build fails', () => {
  const reason = 'Function /hello cannot load on its own';
  const sandbox = useSandbox({
    serverlessBuilder: async () => ({ status: 'failed', code: 82003, message: reason }),
  });
  const project = tinyProject();
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it("stops with Twilio's error code and the reason, which twilio-run itself reports only as failed", async () => {
    const main = sandbox().seed();
    const deploy = deployToSandbox({
      sandboxUrl: sandbox().baseUrl,
      accountSid: main.accountSid,
      authToken: main.authToken,
      projectDir: project,
      env: {},
      environment: 'stage',
    });
    await expect(deploy).rejects.toThrow(SandboxDeployError);
    await expect(deploy).rejects.toMatchObject({ code: 82003, message: `82003: ${reason}` });
    const record = sandbox().serverlessRecord();
    expect(record.builds).toEqual([expect.objectContaining({ status: 'failed' })]);
    expect(record.deployments).toEqual([]);
    expect(record.environments).toEqual([
      expect.objectContaining({
        domainName: expect.stringMatching(/^failing-build-[0-9]{4}-stage\.twil\.io$/),
      }),
    ]);
  }, 120_000);
});
