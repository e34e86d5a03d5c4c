import { startSandbox, type Sandbox } from '../sandbox';
import { sandboxEnv } from './provision-tenant';
import { serviceEnv } from './service-env';
import { freePort, serveDist, type ServedService, type ServeOptions } from './twilio-run-server';

export interface LocalService {
  sandbox: Sandbox;
  service: ServedService;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The whole chain as `npm start` runs it: a fresh sandbox, and dist/ served by twilio-run at
 * http://localhost:<port> against it. PUBLIC_BASE_URL is that local URL, so the TwiML Apps a test
 * provisions point here and the sandbox's simulated calls reach this service.
 */
export async function startLocalService(
  overrides: Record<string, string> = {},
  options: Omit<ServeOptions, 'port'> = {},
): Promise<LocalService> {
  const sandbox = await startSandbox();
  const port = await freePort();
  const env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: `http://localhost:${port}`, ...overrides }));
  const service = await serveDist(env, { ...options, port });
  return {
    sandbox,
    service,
    env,
    stop: async () => {
      await service.stop();
      await sandbox.close();
    },
  };
}
