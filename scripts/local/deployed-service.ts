/**
 * `npm start -- --deployed`: the built service deployed with the real `twilio-run deploy` to the sandbox
 * (scripts/local/deploy-to-sandbox.ts), then served on PORT from that deployment as Twilio runs it
 * (sandbox/serverless-runtime: SID-named files, the Build's dependencies alone, the gateway's rules).
 * See docs/deployed-runtime.md.
 */
import type { Sandbox } from '../../sandbox';
import { deployToSandbox } from './deploy-to-sandbox';

export interface DeployedService {
  url: string;
  /** What the banner says about the deployment. */
  lines: string[];
  close(): Promise<void>;
}

export async function startDeployedService(
  sandbox: Sandbox,
  options: { projectDir: string; env: Record<string, string>; port: number },
): Promise<DeployedService> {
  const { env } = options;
  const deployment = await deployToSandbox({
    sandboxUrl: sandbox.baseUrl,
    accountSid: env.ACCOUNT_SID ?? '',
    authToken: env.AUTH_TOKEN ?? '',
    projectDir: options.projectDir,
    env,
  });
  const served = await sandbox.serveEnvironment(deployment.environmentSid, { port: options.port });
  const build = sandbox.serverlessRecord().builds.find((candidate) => candidate.sid === deployment.buildSid);
  const functions = sandbox
    .serverlessRecord()
    .functionVersions.filter((version) => build?.functionVersionSids.includes(version.sid))
    .sort((a, b) => a.path.localeCompare(b.path));
  const url = `http://localhost:${options.port}`;
  return {
    url,
    lines: [
      `Deployed:        ${deployment.domain}, Build ${deployment.buildSid} (${deployment.runtime}), by twilio-run deploy to the sandbox; its record: ${sandbox.baseUrl}/__sandbox/serverless`,
      '',
      'Functions (each run from the file named by its Function Version SID):',
      ...functions.map(
        (version) =>
          `  ${version.visibility === 'public' ? '' : `[${version.visibility}] `}${url}${version.path}`,
      ),
    ],
    close: () => served.close(),
  };
}
