/**
 * The softphone as a person uses it, shared by the browser suites that make calls: opened signed in with
 * a ticket (the company back-end's part, src/tokens/mint-ticket.ts), a number called, a call hung up.
 * Each suite keeps its own assertions on what it then sees.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mintTicket } from '../src/tokens/mint-ticket';
import { collectErrors } from './chromium';

export const READY = 'Ready: you can make and take calls.';

export interface SoftphoneOptions {
  /** Where the service is served, e.g. `http://localhost:1234`. */
  serviceUrl: string;
  /** The service's TOKEN_TICKET_SECRET, to sign the ticket as the company's back-end would. */
  ticketSecret: string;
  identity: string;
  accountSid: string;
  /** Added to the page's fragment after the ticket, e.g. `&ttl=20`. */
  fragment?: string;
  /** Run in the page before its own scripts (page.addInitScript). */
  initScripts?: (() => void)[];
  /** Whether to wait until the softphone is registered (default); not for a page checked before that. */
  waitUntilReady?: boolean;
}

/** Opens the softphone signed in as `identity`, and waits until it says it can make and take calls. */
export async function openSoftphone(
  browser: Browser | BrowserContext,
  options: SoftphoneOptions,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  for (const script of options.initScripts ?? []) await page.addInitScript(script);
  const ticket = mintTicket(options.ticketSecret, {
    identity: options.identity,
    accountSid: options.accountSid,
  });
  await page.goto(`${options.serviceUrl}/softphone.html#ticket=${ticket}${options.fragment ?? ''}`);
  if (options.waitUntilReady !== false) await page.locator('#line').filter({ hasText: READY }).waitFor();
  return { page, errors };
}

/** Calls `number` (or a colleague) from the dial field, and waits until the call is up. */
export async function callNumber(page: Page, number: string): Promise<void> {
  await page.getByLabel('Number or colleague to call').fill(number);
  await page.getByRole('button', { name: 'Call' }).click();
  // A generous bound for a busy machine: the TwiML App's webhook, then the media.
  await page
    .locator('#call-text')
    .filter({ hasText: `On a call with ${number}` })
    .waitFor({ timeout: 20_000 });
}

/** Hangs up, and waits until the softphone says the call with `who` ended. */
export async function hangUp(page: Page, who: string): Promise<void> {
  await page.getByRole('button', { name: 'Hang up' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Call with ${who} ended.` })
    .waitFor();
}

/**
 * A page's console errors, less the one every page here logs: the SDK's ringtones load from Twilio's
 * own site, which no host name resolves to in these browsers (chromium.ts).
 */
export const unexpectedErrors = (errors: string[]): string[] =>
  errors.filter((message) => !/ERR_NAME_NOT_RESOLVED/.test(message));
