import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox';
import { pointSoftphoneAtSandbox } from '../../scripts/local/softphone-sandbox-edge';
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
  /**
   * Work against the sandbox alone (tenants to provision, records to write), done while the service
   * and the browser start.
   */
  prepare?: (sandbox: Sandbox, env: Record<string, string>) => Promise<void>;
}

const dist = path.resolve(__dirname, '../../dist');

/**
 * The service on dist through twilio-run, against a fresh sandbox, served at http://localhost:<port>
 * (its own origin, so its pages may call /token), and a headless Chromium to open its pages: the chain
 * as `npm start` runs it (testkit/local-service.ts), with the calling edge and a copy of the assets
 * pointed at it when asked.
 */
export async function startPagesService(
  overrides: Record<string, string> = {},
  options: PagesOptions = {},
): Promise<PagesService> {
  const sandbox = await startSandbox(options.callingEdge ? { voiceEdge: {} } : undefined);
  const port = await freePort();
  const env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: `http://localhost:${port}`, ...overrides }));
  // This process's own copy, inside dist/ where twilio-run looks for assets.
  const folder = options.callingEdge ? `assets-calling-edge-${process.pid}` : undefined;
  const removeAssets = () =>
    folder ? rm(path.join(dist, folder), { recursive: true, force: true }) : Promise.resolve();
  const serve = async () => {
    if (!folder) return serveDist(env, { port });
    await cp(path.join(dist, 'assets'), path.join(dist, folder), { recursive: true });
    await pointSoftphoneAtSandbox(path.join(dist, folder), sandbox.voiceEdge?.host ?? '');
    return serveDist(env, { port, assetsFolder: `dist/${folder}` });
  };
  const [serving, launching, preparing] = await Promise.allSettled([
    serve(),
    launchChromium(
      options.callingEdge ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] : [],
    ),
    options.prepare?.(sandbox, env),
  ]);
  if (serving.status === 'rejected' || launching.status === 'rejected' || preparing.status === 'rejected') {
    // Nothing left running when a part did not start: the suite's beforeAll then fails on its own.
    if (launching.status === 'fulfilled') await launching.value.close();
    if (serving.status === 'fulfilled') await serving.value.stop();
    await sandbox.close();
    await removeAssets();
    const failed = [serving, launching, preparing].find((result) => result.status === 'rejected');
    throw (failed as PromiseRejectedResult).reason;
  }
  const [service, browser] = [serving.value, launching.value];
  return {
    sandbox,
    service,
    browser,
    env,
    stop: async () => {
      await browser.close();
      await service.stop();
      await sandbox.close();
      await removeAssets();
    },
  };
}
