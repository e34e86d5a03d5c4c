import type { Browser } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox';
import { sandboxEnv } from '../helpers/provision-tenant';
import { serviceEnv } from '../helpers/service-env';
import { freePort, serveDist, type ServedService } from '../helpers/twilio-run-server';
import { launchChromium } from './chromium';

export interface PagesService {
  sandbox: Sandbox;
  service: ServedService;
  browser: Browser;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The service on dist through twilio-run, against a fresh sandbox, served at http://localhost:<port>
 * (its own origin, so its pages may call /token), and a headless Chromium to open its pages.
 */
export async function startPagesService(overrides: Record<string, string> = {}): Promise<PagesService> {
  const sandbox = await startSandbox();
  const port = await freePort();
  const env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: `http://localhost:${port}`, ...overrides }));
  const [service, browser] = await Promise.all([serveDist(env, { port }), launchChromium()]);
  return {
    sandbox,
    service,
    browser,
    env,
    stop: async () => {
      await browser.close();
      await service.stop();
      await sandbox.close();
    },
  };
}
