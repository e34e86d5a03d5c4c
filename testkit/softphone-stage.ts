/**
 * The stage of the browser suites that make calls, and of `npm run load:calls`: the sandbox with its
 * calling edge, the built service served by twilio-run from its own copy of the assets (the softphone
 * pointed at the edge as `npm start` points it: scripts/local/softphone-sandbox-edge.ts), and headless
 * Chromium with fake media devices. Loopback only.
 */
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startSandbox, type Sandbox } from '../sandbox';
import { pointSoftphoneAtSandbox } from '../scripts/local/softphone-sandbox-edge';
import { sandboxEnv } from './provision-tenant';
import { serviceEnv } from './service-env';
import { freePort, serveDist, type ServedService } from './twilio-run-server';
import { launchChromium } from './chromium';
import type { SoftphoneOptions } from './softphone-page';

const dist = path.resolve(__dirname, '../dist');

export interface SoftphoneStage<T> {
  sandbox: Sandbox;
  service: ServedService;
  browser: Browser;
  env: Record<string, string>;
  /** What `prepare` answered. */
  prepared: T;
  /** The service's address and ticket secret, as openSoftphone takes them. */
  softphone(identity: string, accountSid: string): SoftphoneOptions;
  close(): Promise<void>;
}

/**
 * Starts the stage. `prepare` (tenants to provision, records to write) runs against the sandbox while
 * the service and the browser start. `name` keeps each suite's copy of the assets apart.
 */
export async function startSoftphoneStage<T>(
  name: string,
  prepare: (sandbox: Sandbox, env: Record<string, string>) => Promise<T>,
): Promise<SoftphoneStage<T>> {
  const sandbox = await startSandbox({ voiceEdge: {} });
  const port = await freePort();
  const env = sandboxEnv(
    sandbox,
    serviceEnv({ PUBLIC_BASE_URL: `http://localhost:${port}`, ALLOWED_ORIGINS: '' }),
  );
  const assetsFolder = `assets-${name}-${process.pid}`;
  const assets = path.join(dist, assetsFolder);
  const serve = async () => {
    await cp(path.join(dist, 'assets'), assets, { recursive: true });
    await pointSoftphoneAtSandbox(assets, sandbox.voiceEdge?.host ?? '');
    return serveDist(env, { port, assetsFolder: `dist/${assetsFolder}` });
  };
  const [preparing, serving, launching] = await Promise.allSettled([
    prepare(sandbox, env),
    serve(),
    launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']),
  ]);
  if (preparing.status === 'rejected' || serving.status === 'rejected' || launching.status === 'rejected') {
    // Nothing left running when a part did not start: a suite's beforeAll then fails on its own.
    if (launching.status === 'fulfilled') await launching.value.close();
    if (serving.status === 'fulfilled') await serving.value.stop();
    await sandbox.close();
    await rm(assets, { recursive: true, force: true });
    const failed = [preparing, serving, launching].find((result) => result.status === 'rejected');
    throw (failed as PromiseRejectedResult).reason;
  }
  const [prepared, service, browser] = [preparing.value, serving.value, launching.value];
  return {
    sandbox,
    service,
    browser,
    env,
    prepared,
    softphone: (identity, accountSid) => ({
      serviceUrl: service.url,
      ticketSecret: env.TOKEN_TICKET_SECRET ?? '',
      identity,
      accountSid,
    }),
    async close() {
      await browser.close();
      await service.stop();
      await sandbox.close();
      await rm(assets, { recursive: true, force: true });
    },
  };
}
