/**
 * Real headless Chromium (or Chrome) driven by playwright-core: the executable test/global-setup.ts found,
 * or installed, before the browser suites ran and passed on in CHROMIUM_PATH (testkit/find-chromium.ts).
 * Every host name except localhost (and 127.0.0.1) resolves to nothing, so a page can only ever reach this machine:
 * the Voice SDK's connection to Twilio fails as it would on a network without Twilio.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve(__dirname, '../test-output');

/** `extraArgs` adds flags for one suite, e.g. fake media devices for calls. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath)
    throw new Error('CHROMIUM_PATH is unset: test/global-setup.ts sets it for the browser suites');
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      ...extraArgs,
    ],
  });
}

/** Console errors and uncaught exceptions of a page, collected from the moment it is opened. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}
