/**
 * Deploys the built project to a local sandbox with the real, unmodified `twilio-run deploy`, run as
 * `npm run deploy` runs it (scripts/twilio-run/twilio-run-deploy.ts: same Variables, same 82006 check). No flag in
 * the deploy path says "sandbox": twilio-run reaches `https://serverless.twilio.com` through the
 * sandbox's CONNECT proxy (HTTP_PROXY), which it honours, and trusts the proxy's CA through
 * NODE_EXTRA_CA_CERTS, which Node honours (sandbox/proxy/twilio-proxy.ts).
 */
import { TwilioProxy } from '../../sandbox/proxy/twilio-proxy';
import { twilioRunDeploy } from '../twilio-run/twilio-run-deploy';

export interface DeployToSandboxOptions {
  /** The sandbox's base URL: its REST stand-in and its `/__sandbox/` controls. */
  sandboxUrl: string;
  /** The sandbox account that deploys (a main account: twilio-run creates the Service in it). */
  accountSid: string;
  authToken: string;
  /** The project with its built dist/ (package.json, .twilioserverlessrc). */
  projectDir: string;
  /** The service's configuration variables: the Variables are taken from it as `npm run deploy` takes them. */
  env: Record<string, string | undefined>;
  /** twilio-run's `--environment` (the domain suffix); twilio-run's own default (`dev`) when absent. */
  environment?: string;
  /** twilio-run's `--service-name`; package.json's `name` when absent. */
  serviceName?: string;
}

export interface SandboxDeployment {
  serviceName: string;
  serviceSid: string;
  environmentSid: string;
  buildSid: string;
  deploymentSid: string;
  /** The Environment's domain, `<unique name>-<4 digits>[-<suffix>].twil.io`. */
  domain: string;
  runtime: string;
}

/** A deploy the sandbox refused or whose Build failed: Twilio's error code and the reason. */
export class SandboxDeployError extends Error {
  constructor(
    readonly code: number | null,
    message: string,
  ) {
    super(code === null ? message : `${code}: ${message}`);
  }
}

interface ServerlessRecord {
  builds: {
    sid: string;
    serviceSid: string;
    status: string;
    error: { code: number; message: string } | null;
  }[];
  deployments: { sid: string; buildSid: string }[];
  services: { sid: string; uniqueName: string; accountSid: string }[];
}

async function sandboxRecord(sandboxUrl: string): Promise<ServerlessRecord> {
  const response = await fetch(new URL('/__sandbox/serverless', sandboxUrl));
  if (!response.ok) throw new Error(`GET /__sandbox/serverless answered ${response.status}`);
  return (await response.json()) as ServerlessRecord;
}

/** twilio-run reports a failed Build only as "failed": the sandbox's record says why. */
async function failure(
  options: DeployToSandboxOptions,
  printed: string,
  before: Set<string>,
): Promise<Error> {
  const record = await sandboxRecord(options.sandboxUrl);
  const services = new Set(
    record.services.filter((s) => s.accountSid === options.accountSid).map((s) => s.sid),
  );
  const failed = record.builds
    .filter((build) => services.has(build.serviceSid) && !before.has(build.sid))
    .pop();
  if (failed?.status === 'failed' && failed.error)
    return new SandboxDeployError(failed.error.code, failed.error.message);
  const lines = printed.trim().split('\n').slice(-5).join('\n');
  const code = /\b(\d{5})\b/.exec(lines)?.[1];
  return new SandboxDeployError(code ? Number(code) : null, `twilio-run deploy failed:\n${lines}`);
}

export async function deployToSandbox(options: DeployToSandboxOptions): Promise<SandboxDeployment> {
  const before = new Set((await sandboxRecord(options.sandboxUrl)).builds.map((build) => build.sid));
  const proxy = await TwilioProxy.start({ target: options.sandboxUrl });
  try {
    const args = ['--output-format', 'json'];
    if (options.environment !== undefined) args.push('--environment', options.environment);
    if (options.serviceName !== undefined) args.push('--service-name', options.serviceName);
    // twilio-run must reach nothing but the proxy: no inherited credentials, region or edge.
    const { TWILIO_REGION: _region, TWILIO_EDGE: _edge, ...inherited } = process.env;
    const result = await twilioRunDeploy({
      cwd: options.projectDir,
      accountSid: options.accountSid,
      authToken: options.authToken,
      env: options.env,
      args,
      processEnv: { ...inherited, ...proxy.env(), FORCE_COLOR: '0', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (result.code !== 0) throw await failure(options, `${result.stdout}\n${result.stderr}`, before);
    const printed = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as Omit<
      SandboxDeployment,
      'deploymentSid'
    >;
    const record = await sandboxRecord(options.sandboxUrl);
    const deployment = record.deployments
      .filter((candidate) => candidate.buildSid === printed.buildSid)
      .pop();
    if (!deployment) throw new SandboxDeployError(null, `No Deployment of Build ${printed.buildSid}`);
    return {
      serviceName: printed.serviceName,
      serviceSid: printed.serviceSid,
      environmentSid: printed.environmentSid,
      buildSid: printed.buildSid,
      deploymentSid: deployment.sid,
      domain: printed.domain,
      runtime: printed.runtime,
    };
  } finally {
    await proxy.close();
  }
}
