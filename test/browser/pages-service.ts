import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox';
import { pointSoftphoneAtSandbox } from '../../scripts/local/softphone-sandbox-edge';
import { startLocalService, type LocalService } from '../../testkit/local-service';
import { sandboxEnv } from '../../testkit/provision-tenant';
import { serviceEnv } from '../../testkit/service-env';
import { freePort, serveDist, type ServedService } from '../../testkit/twilio-run-server';
import { launchChromium } from '../../testkit/chromium';

export interface PagesService {
  sandbox: Sandbox;
  service: ServedService;
  browser: Browser;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface PagesOptions {
  /**
   * The sandbox's calling edge too, and the softphone pointed at it (as `npm start` serves it), with
   * fake microphone and camera in the browser: its pages can register and place calls.
   */
  callingEdge?: boolean;
}

const dist = path.resolve(__dirname, '../../dist');

/** As test/helpers/local-service.ts, with the calling edge and a copy of the assets pointed at it. */
async function startWithCallingEdge(overrides: Record<string, string>): Promise<LocalService> {
  const sandbox = await startSandbox({ voiceEdge: {} });
  const port = await freePort();
  const env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: `http://localhost:${port}`, ...overrides }));
  // This process's own copy, inside dist/ where twilio-run looks for assets.
  const folder = `assets-calling-edge-${process.pid}`;
  await cp(path.join(dist, 'assets'), path.join(dist, folder), { recursive: true });
  await pointSoftphoneAtSandbox(path.join(dist, folder), sandbox.voiceEdge?.host ?? '');
  const service = await serveDist(env, { port, assetsFolder: `dist/${folder}` });
  return {
    sandbox,
    service,
    env,
    stop: async () => {
      await service.stop();
      await sandbox.close();
      await rm(path.join(dist, folder), { recursive: true, force: true });
    },
  };
}

/**
 * The service on dist through twilio-run, against a fresh sandbox, served at http://localhost:<port>
 * (its own origin, so its pages may call /token), and a headless Chromium to open its pages.
 */
export async function startPagesService(
  overrides: Record<string, string> = {},
  options: PagesOptions = {},
): Promise<PagesService> {
  const [local, browser] = await Promise.all([
    options.callingEdge ? startWithCallingEdge(overrides) : startLocalService(overrides),
    launchChromium(
      options.callingEdge ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] : [],
    ),
  ]);
  return {
    ...local,
    browser,
    stop: async () => {
      await browser.close();
      await local.stop();
    },
  };
}
