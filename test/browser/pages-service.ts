import type { Browser } from 'playwright-core';
import type { Sandbox } from '../../sandbox';
import { startLocalService } from '../../testkit/local-service';
import type { ServedService } from '../../testkit/twilio-run-server';
import { launchChromium } from '../../testkit/chromium';

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
  const [local, browser] = await Promise.all([startLocalService(overrides), launchChromium()]);
  return {
    ...local,
    browser,
    stop: async () => {
      await browser.close();
      await local.stop();
    },
  };
}
