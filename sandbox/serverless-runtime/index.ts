/**
 * Runs what was deployed as Twilio runs it: `buildDeployment` does what Twilio's build does with a
 * Build, `serveDeployment` serves an Environment's Deployment of it. The Serverless API that records
 * the uploads (sandbox/serverless/) calls both through the seam in types.ts.
 */
import { BUILD_FAILED, CONTEXT_LIMIT_BYTES, EXECUTION_LIMIT_MS } from './build-errors';
import { writeBuildFolder } from './build-folder';
import { runtimeCacheDir } from './cache-dir';
import { startGateway, type Invocation } from './gateway';
import { checkFunctionsLoad, startHost, type Host, type HostSetup } from './host-process';
import { installDependencies } from './install-dependencies';
import { checkRuntime } from './runtime-version';
import type { BuildInput, BuildOutcome, RunInput, RunningDeployment } from './types';

export type { Invocation } from './gateway';
export * from './types';

/**
 * What Twilio's build does: the Runtime checked, the `Dependencies` list installed alone, each version
 * written to its SID-named file, and each Function required alone (the build's health check).
 */
export async function buildDeployment(
  input: BuildInput,
  cacheDir = runtimeCacheDir(),
): Promise<BuildOutcome> {
  const runtimeFailure = checkRuntime(input.runtime);
  if (runtimeFailure) return runtimeFailure;
  const installed = await installDependencies(cacheDir, input.dependencies);
  if ('status' in installed) return installed;
  const folder = await writeBuildFolder(cacheDir, input, installed.dir);
  const failure = await checkFunctionsLoad({
    buildDir: folder.dir,
    url: 'https://build.invalid',
    env: {},
    functions: folder.functions,
    assets: folder.assets,
  });
  if (failure)
    return {
      status: 'failed',
      code: BUILD_FAILED,
      message: `Function ${failure.path ?? ''} (${failure.sid ?? 'unknown'}) cannot load on its own: ${failure.message}`,
    };
  return { status: 'completed' };
}

/** Knobs for tests; a deployment runs with Twilio's limits. */
export interface ServeOptions {
  cacheDir?: string;
  executionLimitMs?: number;
  /**
   * What the sandbox adds to every Function's context so the deployed code reaches it instead of
   * Twilio (TWILIO_API_BASE_URL): not a Variable of the deployment, so not counted toward 82006.
   */
  sandboxContext?: Record<string, string>;
}

export interface ServedDeployment extends RunningDeployment {
  /** Each Function that ran, with the SID-named file it ran from. */
  invocations(): Invocation[];
}

/** The context a Function gets, besides getTwilioClient: runtime-handler's constructContext adds PATH and DOMAIN_NAME. */
export function functionContext(input: RunInput): Record<string, string> {
  return {
    ...input.variables,
    ...(input.includeCredentials ? { ACCOUNT_SID: input.accountSid, AUTH_TOKEN: input.authToken } : {}),
    SERVICE_SID: input.serviceSid,
    ENVIRONMENT_SID: input.environmentSid,
  };
}

/** Bytes of the context at `path` as Twilio counts it for 82006: account, domain name, path and Variables as JSON. */
export function contextBytes(input: RunInput, path: string): number {
  const context = {
    ACCOUNT_SID: input.accountSid,
    ...functionContext(input),
    DOMAIN_NAME: input.domainName,
    PATH: path,
  };
  return Buffer.byteLength(JSON.stringify(context), 'utf8');
}

export async function serveDeployment(
  input: RunInput,
  options: ServeOptions = {},
): Promise<ServedDeployment> {
  const cacheDir = options.cacheDir ?? runtimeCacheDir();
  const installed = await installDependencies(cacheDir, input.build.dependencies);
  if ('status' in installed) throw new Error(installed.message);
  const folder = await writeBuildFolder(cacheDir, input.build, installed.dir);
  const setup: HostSetup = {
    buildDir: folder.dir,
    url: `https://${input.domainName}`,
    env: { ...functionContext(input), ...options.sandboxContext },
    functions: folder.functions,
    assets: folder.assets,
  };

  let running: Promise<Host> | undefined;
  const host = (): Promise<Host> => {
    if (!running) {
      const starting = startHost(setup);
      running = starting;
      starting.then(
        ({ child }) => child.once('exit', () => running === starting && (running = undefined)),
        () => running === starting && (running = undefined),
      );
    }
    return running;
  };
  const killHost = () => {
    const current = running;
    running = undefined;
    void current?.then(({ child }) => child.kill('SIGKILL'));
  };
  await host();

  const gateway = await startGateway({
    routes: [
      ...folder.functions.map((route) => ({ kind: 'function' as const, route })),
      ...folder.assets.map((route) => ({ kind: 'asset' as const, route })),
    ].map(({ kind, route }) => ({
      kind,
      sid: route.name,
      path: route.path,
      visibility: route.access,
      file: route.filePath,
    })),
    domainName: input.domainName,
    authToken: input.authToken,
    contextBytes: (path) => contextBytes(input, path),
    contextLimitBytes: CONTEXT_LIMIT_BYTES,
    executionLimitMs: options.executionLimitMs ?? EXECUTION_LIMIT_MS,
    host: async () => (await host()).port,
    killHost,
    ...(input.port === undefined ? {} : { port: input.port }),
  });
  return {
    url: gateway.url,
    invocations: gateway.invocations,
    async close() {
      await gateway.close();
      killHost();
    },
  };
}
