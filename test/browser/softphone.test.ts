import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { provisionTenant, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server';
import { collectErrors, SCREENSHOTS } from '../../testkit/chromium';
import { startPagesService, type PagesService } from './pages-service';

jest.setTimeout(60_000);

let pages: PagesService;
let tenant: ProvisionedTenant;
/** The company's page that embeds the phone (its origin in ALLOWED_ORIGINS), and another site's. */
let crm: RecordingServer;
let stranger: RecordingServer;

/** A page that frames the softphone and answers its request for a ticket with one for `identity`. */
const embeddingPage = (identity: string) => {
  const phoneUrl = `${pages.service.url}/softphone.html`;
  return `<!doctype html><title>CRM</title><iframe id="softphone" src="${phoneUrl}" width="480" height="520"></iframe>
      <script>
        window.addEventListener('message', (event) => {
          if (event.data && event.data.type === 'softphone:ready') {
            document.title = 'asked: ' + event.data.reason;
            event.source.postMessage({ type: 'softphone:ticket', ticket: ${JSON.stringify(ticketFor(identity))} }, ${JSON.stringify(pages.service.url)});
          }
        });
      </script>`;
};

beforeAll(async () => {
  const serve = (identity: string) =>
    startRecordingServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end(embeddingPage(identity));
    });
  [crm, stranger] = await Promise.all([serve('erin'), serve('mallory')]);
  pages = await startPagesService(
    { ALLOWED_ORIGINS: crm.url },
    {
      prepare: async (sandbox, env) => {
        tenant = await provisionTenant(sandbox, env, { friendlyName: 'Acme' });
      },
    },
  );
});

afterAll(async () => {
  await Promise.all([pages?.stop(), crm?.close(), stranger?.close()]);
});

const ticketFor = (identity: string) =>
  mintTicket(pages.env.TOKEN_TICKET_SECRET ?? '', { identity, accountSid: tenant.sid });

async function openSoftphone(
  fragment: string,
  { fakeClock = false, initScripts = [] as (() => void)[] } = {},
): Promise<{ page: Page; errors: string[]; tokenRequests: Request[] }> {
  const page = await pages.browser.newPage();
  if (fakeClock) await page.clock.install();
  for (const script of initScripts) await page.addInitScript(script);
  const errors = collectErrors(page);
  const tokenRequests: Request[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/token') tokenRequests.push(request);
  });
  await page.goto(`${pages.service.url}/softphone.html#${fragment}`);
  return { page, errors, tokenRequests };
}

interface TokenFetches {
  tokenFetches: number;
}

/** Counts, in the page, the requests it starts for /token. */
function countTokenFetches(): void {
  const counted = window as unknown as TokenFetches;
  counted.tokenFetches = 0;
  const original = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
    if (new URL(url, location.href).pathname === '/token') counted.tokenFetches += 1;
    return original(input, init);
  };
}

/** Errors that only say Twilio's servers are unreachable (this test runs without network on purpose). */
const TWILIO_UNREACHABLE = [
  /ERR_NAME_NOT_RESOLVED/, // only names other than localhost fail to resolve
  /^WebSocket connection to 'wss:\/\/[a-z0-9.-]+\.twilio\.com\//,
  /^\[TwilioVoice\]\[WSTransport\]/,
  /^\[TwilioVoice\]\[Device\] Received error: +\w+: \w+ \((31000|31005|31009|53000)\)/,
];
const unreachableTwilio = (message: string) => TWILIO_UNREACHABLE.some((pattern) => pattern.test(message));

describe('softphone page', () => {
  it('signs in with a ticket from the fragment, gets a token and says in words that Twilio is unreachable', async () => {
    const { page, errors, tokenRequests } = await openSoftphone(`ticket=${ticketFor('alice_01')}`);
    await page.getByText('alice_01', { exact: true }).waitFor();
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]?.method()).toBe('POST');
    expect(tokenRequests[0]?.url()).not.toContain('ticket');
    // The ticket left the address bar once read.
    expect(page.url()).not.toContain('ticket');

    // Registering needs Twilio's signalling servers, which this machine cannot reach: the page says so.
    await page.getByRole('alert').filter({ hasText: "Can't reach Twilio's calling service" }).waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Not connected');
    await expect(page.getByRole('button', { name: 'Call' }).isVisible()).resolves.toBe(true);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'softphone.png'), fullPage: true });
    expect(errors.filter((message) => !unreachableTwilio(message))).toEqual([]);
    await page.close();
  });

  it('renews its token before it expires, with a short lifetime', async () => {
    // The page's own clock (Playwright's, installed before the page loads and running in real time
    // until paused) is moved on instead of waiting: the keeper's timer is a page timer like any other.
    const { page, tokenRequests } = await openSoftphone(`ticket=${ticketFor('bob')}&ttl=20`, {
      fakeClock: true,
      initScripts: [countTokenFetches],
    });
    await page.getByText('bob', { exact: true }).waitFor();
    const expires = page.locator('#expires');
    const firstExpiry = Date.parse((await expires.getAttribute('data-expires-at')) ?? '');
    const renewed = page.waitForResponse((response) => new URL(response.url()).pathname === '/token');
    // A 20 s token is renewed 10 s before it expires: not at 11 s before (counted in the page, where a
    // timer that fired would already have called fetch), by 9 s before.
    await page.clock.pauseAt(firstExpiry - 11_000);
    await expect(page.evaluate(() => (window as unknown as TokenFetches).tokenFetches)).resolves.toBe(1);
    await page.clock.fastForward(2_000);
    const second = (await (await renewed).json()) as { expiresAt: string };
    await page.waitForFunction(
      (expiresAt) => document.getElementById('expires')?.dataset.expiresAt === expiresAt,
      second.expiresAt,
    );
    expect(tokenRequests).toHaveLength(2);
    // The renewal happened on the page's clock before the first token expired, and the new token lasts
    // at least as long (the service's clock, in whole seconds, did not jump with the page's).
    await expect(page.evaluate(() => Date.now())).resolves.toBeLessThan(firstExpiry);
    expect(Date.parse(second.expiresAt)).toBeGreaterThanOrEqual(firstExpiry);
    await page.close();
  });

  it('shows a readable error for a bad ticket and offers to sign in again', async () => {
    const { page, errors } = await openSoftphone('ticket=not-a-real-ticket');
    await page.getByRole('alert').filter({ hasText: 'This sign-in is not valid' }).waitFor();
    await expect(page.getByLabel('Sign-in ticket').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Not signed in.');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'softphone-bad-ticket.png'), fullPage: true });
    // The 401 itself is logged by the browser as a failed resource; nothing else is wrong.
    expect(errors.filter((message) => !/status of 401/.test(message) && !unreachableTwilio(message))).toEqual(
      [],
    );
    await page.close();
  });

  it('checks what is dialled before calling, in words', async () => {
    const { page } = await openSoftphone(`ticket=${ticketFor('carol')}`);
    await page.getByText('carol', { exact: true }).waitFor();
    await page.getByLabel('Number or colleague to call').fill('555 not a number!');
    await page.getByRole('button', { name: 'Call' }).click();
    await page.getByRole('alert').filter({ hasText: 'Write the number in international form' }).waitFor();
    await page.getByLabel('Number or colleague to call').fill('alice smith');
    await page.getByRole('button', { name: 'Call' }).click();
    await page.getByRole('alert').filter({ hasText: "A colleague's name has only letters" }).waitFor();
    await page.close();
  });

  it("says why a number is outside the account's calling policy before placing the call", async () => {
    const { page } = await openSoftphone(`ticket=${ticketFor('dave')}`);
    await page.getByText('dave', { exact: true }).waitFor();
    const field = page.getByLabel('Number or colleague to call');
    const call = page.getByRole('button', { name: 'Call' });
    const refusals = {
      '+1 900 555 0123': 'Calls to premium-rate numbers are not allowed from this account.',
      '+1 876 555 0123': 'Calls to Jamaica numbers are not allowed from this account.',
      '+1 (809) 555-0123': 'Calls to Dominican Republic numbers are not allowed from this account.',
      '+1 284 555 0123': 'Calls to British Virgin Islands numbers are not allowed from this account.',
    };
    for (const [number, reason] of Object.entries(refusals)) {
      await field.fill(number);
      await call.click();
      await page.locator('#dial-problem').filter({ hasText: reason }).waitFor();
      await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    }
    // An ordinary US number passes the page's check (the call itself then needs Twilio).
    await field.fill('+1 415 555 0199');
    await call.click();
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('false');
    await expect(page.locator('#dial-problem').isVisible()).resolves.toBe(false);
    await page.close();
  });

  it('takes its ticket from the page that embeds it, by postMessage, never in a URL', async () => {
    // The company's page, on another origin listed in ALLOWED_ORIGINS: it answers with a ticket.
    const page = await pages.browser.newPage();
    const tokenRequests: Request[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/token') tokenRequests.push(request);
    });
    await page.goto(crm.url);
    await page.frameLocator('#softphone').getByText('erin', { exact: true }).waitFor();
    await expect(page.title()).resolves.toBe('asked: start');
    expect(tokenRequests.map((request) => request.url())).toEqual([`${pages.service.url}/token`]);
    await page.close();
  });

  it('does not sign in with a ticket from a site that frames it without being in ALLOWED_ORIGINS', async () => {
    const page = await pages.browser.newPage();
    const answers: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/token') answers.push(response.status());
    });
    await page.goto(stranger.url);
    const phone = page.frameLocator('#softphone');
    await phone.getByText('may not sign it in').waitFor();
    await expect(page.title()).resolves.toBe('asked: start');
    expect(answers).toEqual([403]);
    await expect(phone.getByText('mallory', { exact: true }).count()).resolves.toBe(0);
    await expect(phone.getByRole('status').textContent()).resolves.toContain('Not signed in');
    await page.close();
  });
});
