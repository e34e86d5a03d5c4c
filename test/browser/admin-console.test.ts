import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { answerProblems, textAnswerProblems } from '../../testkit/admin-contract';
import { startEventReceiver, type EventReceiver } from '../helpers/event-receiver';
import { provisionTenant } from '../../testkit/provision-tenant';
import { sandboxClient } from '../helpers/sandbox';
import { adminKeyOf } from '../../testkit/service-env';
import { collectErrors, SCREENSHOTS } from '../../testkit/chromium';
import { startPagesService, type PagesService } from './pages-service';

jest.setTimeout(60_000);

let pages: PagesService;
let receiver: EventReceiver;

beforeAll(async () => {
  const secret = randomBytes(24).toString('hex');
  receiver = await startEventReceiver(secret);
  // With the calling edge: the test call after "Update credentials" registers and calls for real.
  pages = await startPagesService(
    { EVENTS_WEBHOOK_URL: receiver.url, EVENTS_WEBHOOK_SECRET: secret },
    { callingEdge: true },
  );
});

afterAll(async () => {
  await pages?.stop();
  await receiver?.close();
});

/**
 * One console page for the whole file, as an operator keeps one tab open: each test starts from the
 * list, with the errors of the tests before it forgotten. Opening a page per test cost a browser context,
 * four loads and a sign-in each.
 */
let shared: { page: Page; errors: string[] } | undefined;

async function openConsole(): Promise<{ page: Page; errors: string[] }> {
  if (shared) {
    shared.errors.length = 0;
    return shared;
  }
  const page = await pages.browser.newPage();
  const errors = collectErrors(page);
  // What the console gets from the admin functions is held to docs/openapi.json like every admin answer.
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (!pathname.startsWith('/admin/')) return;
    const contentType = response.headers()['content-type'] ?? '';
    if (contentType.startsWith('text/csv')) {
      errors.push(...textAnswerProblems(pathname, response.status(), contentType));
      return;
    }
    response.json().then(
      (body: unknown) =>
        errors.push(...answerProblems(pathname, response.status(), body).map((p) => `${pathname}: ${p}`)),
      () => errors.push(`${pathname}: the answer is not JSON`),
    );
  });
  await page.goto(`${pages.service.url}/admin.html`);
  shared = { page, errors };
  return shared;
}

const status = (page: Page) => page.getByRole('status');
/** The status line beside a control: in the box (data-feedback) that holds it, not anywhere on the page. */
const statusIn = (page: Page, selector: string) => page.locator(selector).getByRole('status');

/** Opens one subaccount's detail view from the list. */
async function openDetail(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Select ${name}` }).click();
  await statusIn(page, '#detail-head')
    .filter({ hasText: `${name} selected.` })
    .waitFor();
}

/**
 * Enters the admin key (once per page) and waits for the list of subaccounts: the whole list, from the
 * Subaccounts view, whatever the test before left filtered or open.
 */
async function signIn(page: Page): Promise<void> {
  if (await page.locator('#workspace').isVisible()) {
    await page.getByRole('button', { name: 'Subaccounts', exact: true }).click();
    await page.locator('#filter-status').selectOption('');
    await page.locator('#filter-kind').selectOption('');
    await page.locator('#filter-name').fill('');
    await page.locator('#list-form').getByRole('button', { name: 'Show' }).click();
  } else {
    await page.getByLabel('Admin key').fill(adminKeyOf(pages.env));
    await page.getByRole('button', { name: 'Use key' }).click();
  }
  await statusIn(page, '#list-form')
    .filter({ hasText: /subaccounts? shown|No subaccounts match/ })
    .waitFor();
}

describe('admin console page', () => {
  it('runs under a Content-Security-Policy that refuses inline script', async () => {
    const { page, errors } = await openConsole();
    await page.getByLabel('Admin key').waitFor();
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true;';
      document.head.append(script);
      return (window as unknown as { injected?: boolean }).injected === true;
    });
    expect(ran).toBe(false);
    // The refusal is the only thing the browser reported: the page itself needs nothing the policy forbids.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^Executing inline script violates the following Content Security Policy directive 'script-src 'self''/,
    );
  });

  it('refuses a wrong admin key in words and keeps nothing', async () => {
    const { page } = await openConsole();
    await page.getByLabel('Admin key').fill('not-the-admin-key-but-long-enough-0000');
    await page.getByRole('button', { name: 'Use key' }).click();
    await page
      .locator('#key-form')
      .getByRole('alert')
      .filter({ hasText: 'The admin key was refused' })
      .waitFor();
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
    await expect(page.getByLabel('Admin key').isVisible()).resolves.toBe(true);
  });

  it('lists, creates and suspends a subaccount', async () => {
    const { page, errors } = await openConsole();
    await page.getByLabel('Admin key').fill(adminKeyOf(pages.env));
    await page.getByRole('button', { name: 'Use key' }).click();
    await status(page).filter({ hasText: 'No subaccounts match.' }).waitFor();
    // The key stays in this tab's sessionStorage only.
    await expect(page.evaluate(() => localStorage.length)).resolves.toBe(0);
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(1);

    await page.getByLabel('Name', { exact: true }).first().fill('Acme Dental');
    await page.getByRole('button', { name: 'Create' }).click();
    await statusIn(page, '#create-form')
      .filter({ hasText: /^Created Acme Dental \(AC[0-9a-f]{32}\)\.$/ })
      .waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Acme Dental' });
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe('active');
    const sid = (await row.getByRole('cell').nth(1).textContent()) ?? '';
    expect(sid).toMatch(/^AC[0-9a-f]{32}$/);
    // It exists on Twilio (the sandbox) as a subaccount of the main account, with a key and an App.
    expect(pages.sandbox.state.accounts.find((account) => account.sid === sid)?.ownerAccountSid).toBe(
      pages.env.ACCOUNT_SID,
    );
    // Its own view: the list gives way to its settings, numbers, usage, recordings and calls.
    await openDetail(page, 'Acme Dental');
    await expect(page.locator('#subaccounts').isVisible()).resolves.toBe(false);

    // The toll-fraud guard, defaults filled in (no caller ID yet: US), and changed from the form.
    const countries = page.getByLabel('Countries it may call (ISO codes)');
    await expect(countries.inputValue()).resolves.toBe('US');
    await expect(page.getByLabel('Number types it may not call').inputValue()).resolves.toBe(
      'premium_rate, shared_cost, uan, personal_number, pager, unknown',
    );
    await countries.fill('us, jm');
    await page.getByRole('button', { name: 'Save' }).click();
    await statusIn(page, '#update-form').filter({ hasText: 'Saved.' }).waitFor();
    await expect(countries.inputValue()).resolves.toBe('US, JM');

    // Suspend asks first, naming the subaccount; Cancel changes nothing.
    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Suspend Acme Dental (${sid})?` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page
      .locator('[data-feedback]', { has: page.locator('#suspend') })
      .getByRole('status')
      .filter({ hasText: 'Cancelled: nothing was changed.' })
      .waitFor();
    expect(pages.sandbox.state.accounts.find((account) => account.sid === sid)?.status).toBe('active');
    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    await dialog.getByRole('button', { name: 'Suspend Acme Dental' }).click();
    await page
      .locator('[data-feedback]', { has: page.locator('#suspend') })
      .getByRole('status')
      .filter({ hasText: 'Acme Dental is suspended.' })
      .waitFor();
    expect(pages.sandbox.state.accounts.find((account) => account.sid === sid)?.status).toBe('suspended');

    // Usage by category, as a chart a screen reader can read too.
    const today = new Date().toISOString().slice(0, 10);
    pages.sandbox.addUsage({
      accountSid: sid,
      category: 'calls-client',
      description: 'Client calls',
      startDate: today,
      price: 1.25,
    });
    pages.sandbox.addUsage({
      accountSid: sid,
      category: 'calls-outbound',
      description: 'Outbound calls',
      startDate: today,
      price: 3.5,
    });
    await page.getByRole('button', { name: 'Show usage' }).click();
    await statusIn(page, '#usage-form').filter({ hasText: 'Usage shown.' }).waitFor();
    await expect(page.getByText(/^Total \d+\.\d{2} USD from /).isVisible()).resolves.toBe(true);
    const chart = page.getByRole('img', {
      name: /Usage by category in USD: Outbound calls 3\.50; Client calls 1\.25/,
    });
    await expect(chart.isVisible()).resolves.toBe(true);
    await expect(chart.locator('rect').count()).resolves.toBe(2);

    // Back in the list, it is suspended there too.
    await page.getByRole('button', { name: 'All subaccounts' }).click();
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe('suspended');

    // A sweep of every subaccount against Twilio, before and after a change behind the service's back.
    await page.getByRole('button', { name: 'Check all against Twilio' }).click();
    await status(page).filter({ hasText: 'All 1 subaccount(s) agree with Twilio.' }).waitFor();
    const app = pages.sandbox.state.applications.find((candidate) => candidate.accountSid === sid);
    if (app) app.voiceUrl = 'https://elsewhere.example.com/voice';
    await page.getByRole('button', { name: 'Check all against Twilio' }).click();
    await status(page).filter({ hasText: '1 of 1 subaccount(s) differ from Twilio' }).waitFor();
    await page.getByText(/^Acme Dental: TwiML App AP[0-9a-f]{32} posts to https:\/\/elsewhere/).waitFor();

    await page.getByLabel('Status').selectOption('suspended');
    await page.getByRole('button', { name: 'Show', exact: true }).first().click();
    await status(page).filter({ hasText: '1 subaccount shown.' }).waitFor();

    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-console.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('closes a subaccount only with its SID typed and the dialog confirmed, releasing its numbers', async () => {
    // Made as create makes it, without the console: creating through it is the test above.
    const { sid } = await provisionTenant(pages.sandbox, pages.env, { friendlyName: 'Vandelay' });
    const { page, errors } = await openConsole();
    await signIn(page);
    const bought = pages.sandbox.state.incomingPhoneNumbers.filter((number) => number.accountSid === sid);
    expect(bought).toHaveLength(1);
    await openDetail(page, 'Vandelay');

    // A wrong SID is refused beside the form, before any dialog.
    await page.getByLabel('To close it for good, type its SID').fill('AC' + '0'.repeat(32));
    await page.getByRole('button', { name: 'Close subaccount' }).click();
    await page
      .locator('#close-form')
      .getByRole('alert')
      .filter({ hasText: `Type ${sid} to confirm closing Vandelay.` })
      .waitFor();

    await page.getByLabel('To close it for good, type its SID').fill(sid);
    await page.getByLabel(/Release its numbers/).check();
    await page.getByRole('button', { name: 'Close subaccount' }).click();
    const dialog = page.getByRole('dialog', { name: `Close Vandelay (${sid}) for good?` });
    await expect(dialog.textContent()).resolves.toContain(
      `Its numbers ${bought[0]?.phoneNumber} are released`,
    );
    await dialog.getByRole('button', { name: 'Close and release its numbers' }).click();
    await statusIn(page, '#close-form').filter({ hasText: 'Vandelay is closed.' }).waitFor();
    expect(pages.sandbox.state.accounts.find((candidate) => candidate.sid === sid)?.status).toBe('closed');
    expect(pages.sandbox.state.incomingPhoneNumbers.some((number) => number.sid === bought[0]?.sid)).toBe(
      false,
    );
    expect(errors).toEqual([]);
  });

  it('shows what a create that stopped part-way made, never "Nothing was changed", and finishes it', async () => {
    const { page, errors } = await openConsole();
    await signIn(page);

    // Refused before anything is made: the numbers on offer in 212 need an Address.
    await page.getByLabel('Name', { exact: true }).first().fill('Initech');
    await page.getByLabel('Buy a number in area code (optional)').fill('212');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('#create-form').getByRole('alert').filter({ hasText: 'need an Address' }).waitFor();
    await statusIn(page, '#create-form')
      .filter({ hasText: 'Nothing was changed by the last request.' })
      .waitFor();

    // Twilio fails the purchase once the subaccount exists.
    pages.sandbox.failRequest(1, '500', { match: { method: 'POST', path: /\/IncomingPhoneNumbers\.json$/ } });
    await page.getByLabel('Buy a number in area code (optional)').fill('415');
    await page.getByRole('button', { name: 'Create' }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'was created but is not complete' });
    await problem.waitFor();
    const text = (await problem.textContent()) ?? '';
    const sid = /Subaccount (AC[0-9a-f]{32})/.exec(text)?.[1] ?? '';
    expect(sid).not.toBe('');
    expect(text).toContain('Missing: number.');
    expect(text).toMatch(/idempotencyKey [0-9a-f-]{36}/);
    await status(page)
      .filter({ hasText: `The last request stopped part-way: ${sid} exists` })
      .waitFor();
    const row = page.getByRole('row').filter({ hasText: sid });
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe('provisioning');

    // The same key finishes it: one subaccount, now active with its number.
    await page.getByRole('button', { name: 'Create' }).click();
    await status(page)
      .filter({ hasText: `Created Initech (${sid}).` })
      .waitFor();
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe('active');
    expect(pages.sandbox.state.accounts.filter((account) => account.friendlyName === 'Initech')).toHaveLength(
      1,
    );
    // The browser logs the two refused requests themselves; nothing else may go wrong on the page.
    expect(errors.filter((error) => !error.startsWith('Failed to load resource'))).toEqual([]);
  });

  it('finds subaccounts made elsewhere, previews what adopting changes without changing anything, and adopts one', async () => {
    const main = sandboxClient(pages.sandbox, pages.env.ACCOUNT_SID ?? '', pages.env.AUTH_TOKEN ?? '');
    const hooli = await main.api.v2010.accounts.create({ friendlyName: 'Hooli' });
    const held = pages.sandbox.addPhoneNumber(hooli.sid, { voiceUrl: 'https://crm.example.com/hook' });
    await main.api.v2010.accounts.create({ friendlyName: 'Pied Piper' });

    const { page, errors } = await openConsole();
    await signIn(page);

    const before = JSON.stringify(pages.sandbox.state);
    await page.getByRole('button', { name: 'Find unmanaged subaccounts' }).click();
    await status(page).filter({ hasText: '2 unmanaged subaccount(s) found.' }).waitFor();
    expect(JSON.stringify(pages.sandbox.state)).toBe(before);
    const unmanaged = page.locator('#unmanaged');
    const row = unmanaged.getByRole('row').filter({ hasText: 'Hooli' });
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.toContain(
      `${held.phoneNumber}: rings https://crm.example.com/hook now; will ring this service.`,
    );

    await page.getByRole('button', { name: 'Adopt Hooli' }).click();
    const adoptStatus = page
      .getByRole('region', { name: 'Adopt subaccounts made elsewhere' })
      .getByRole('status');
    await adoptStatus.filter({ hasText: `Adopted Hooli (${hooli.sid}).` }).waitFor();
    await expect(adoptStatus.textContent()).resolves.toContain(
      `${held.phoneNumber}: rang https://crm.example.com/hook; now rings this service.`,
    );
    const app = pages.sandbox.state.applications.find((candidate) => candidate.accountSid === hooli.sid);
    expect(
      pages.sandbox.state.incomingPhoneNumbers.find((n) => n.sid === held.sid)?.voiceApplicationSid,
    ).toBe(app?.sid);
    // Adopted: in the list of managed subaccounts and no longer among the unmanaged.
    const listed = page.locator('#subaccounts').getByRole('row').filter({ hasText: hooli.sid });
    await expect(listed.getByRole('cell').nth(2).textContent()).resolves.toBe('active');
    await expect(unmanaged.getByRole('row').filter({ hasText: 'Hooli' }).count()).resolves.toBe(0);
    await expect(unmanaged.getByRole('row').filter({ hasText: 'Pied Piper' }).count()).resolves.toBe(1);
    expect(errors).toEqual([]);
  });
});

describe('numbers in the console', () => {
  it('pages through more than 50 numbers of the main account with the API cursor', async () => {
    const main = pages.env.ACCOUNT_SID ?? '';
    for (let index = 0; index < 55; index += 1) pages.sandbox.addPhoneNumber(main);
    const owned = pages.sandbox.state.incomingPhoneNumbers.filter((number) => number.accountSid === main);
    expect(owned.length).toBeGreaterThan(50);
    const { page, errors } = await openConsole();
    await signIn(page);
    await page.getByRole('button', { name: 'Numbers', exact: true }).click();
    const view = page.getByRole('region', { name: 'Numbers of the main account' });
    const rows = page.locator('#main-numbers tbody tr');
    await view.getByRole('button', { name: 'Show' }).click();
    await view
      .getByRole('status')
      .filter({ hasText: '50 number(s) of the main account shown; More shows the next page.' })
      .waitFor();
    await expect(rows.count()).resolves.toBe(50);
    await view.getByRole('button', { name: 'More numbers' }).click();
    await view
      .getByRole('status')
      .filter({ hasText: `${owned.length} number(s) of the main account shown.` })
      .waitFor();
    await expect(rows.count()).resolves.toBe(owned.length);
    // Every number once, the last page's among them.
    const shown = await page.locator('#main-numbers tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(shown)).toEqual(new Set(owned.map((number) => number.sid)));
    await expect(view.getByRole('button', { name: 'More numbers' }).isVisible()).resolves.toBe(false);
    expect(errors).toEqual([]);
  });
});

describe('the full create and moving numbers in the console', () => {
  it('creates a subaccount with a number moved from the main account, SMS and recording, then moves the number to another subaccount', async () => {
    const held = pages.sandbox.addPhoneNumber(pages.env.ACCOUNT_SID ?? '');
    // Where the number goes next: made as create makes it, without the console.
    const { sid: soylent } = await provisionTenant(pages.sandbox, pages.env, { friendlyName: 'Soylent' });
    const { page, errors } = await openConsole();
    await signIn(page);
    await page.getByLabel('Name', { exact: true }).first().fill('Globex');
    await page.getByLabel('Or move this number from the main account (its SID, optional)').fill(held.sid);
    await page.getByLabel('Messaging Service for its number (SMS)').check();
    await page.getByLabel('Record its calls').check();
    await page.getByRole('button', { name: 'Create' }).click();
    await statusIn(page, '#create-form')
      .filter({ hasText: /^Created Globex \(AC[0-9a-f]{32}\)\.$/ })
      .waitFor();
    const globex = pages.sandbox.state.accounts.find((account) => account.friendlyName === 'Globex')?.sid;
    expect(
      pages.sandbox.state.incomingPhoneNumbers.find((number) => number.sid === held.sid)?.accountSid,
    ).toBe(globex);
    const service = pages.sandbox.state.messagingServices.find(
      (candidate) => candidate.accountSid === globex,
    );
    expect(service).toBeDefined();
    expect(
      pages.sandbox.state.messagingPhoneNumbers.some(
        (entry) => entry.serviceSid === service?.sid && entry.phoneNumber === held.phoneNumber,
      ),
    ).toBe(true);

    // Globex's view shows the moved number and recording on.
    await openDetail(page, 'Globex');
    await expect(page.getByLabel('Record calls').isChecked()).resolves.toBe(true);
    const numberRow = page.locator('#numbers tbody tr').filter({ hasText: held.phoneNumber });
    await expect(numberRow.count()).resolves.toBe(1);

    // From one subaccount to another: Move to… fills in the number and where it is now.
    await numberRow.getByRole('button', { name: `Move ${held.phoneNumber} to another account` }).click();
    const transfer = page.locator('#transfer-form');
    await expect(transfer.getByLabel('Number SID').inputValue()).resolves.toBe(held.sid);
    await expect(transfer.getByLabel('From account SID').inputValue()).resolves.toBe(globex);
    await transfer.getByLabel('To account SID').fill(soylent ?? '');
    await transfer.getByRole('button', { name: 'Move number' }).click();
    await statusIn(page, '#transfer-form')
      .filter({ hasText: `${held.phoneNumber} moved to Soylent.` })
      .waitFor();
    expect(
      pages.sandbox.state.incomingPhoneNumbers.find((number) => number.sid === held.sid)?.accountSid,
    ).toBe(soylent);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-console-transfer.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});

describe('undelivered events in the console', () => {
  it('lists the events the back-end refused, and sends them again once it answers', async () => {
    const { page, errors } = await openConsole();
    await signIn(page);
    receiver.answerWith(500);
    await page.getByLabel('Name', { exact: true }).first().fill('Events Co');
    await page.getByRole('button', { name: 'Create' }).click();
    await status(page)
      .filter({ hasText: /^Created Events Co/ })
      .waitFor();

    await page.getByRole('button', { name: 'Undelivered events' }).click();
    await page.getByRole('button', { name: 'Redeliver' }).click();
    await status(page)
      .filter({ hasText: /^0 event\(s\) delivered, [1-9]\d* still pending\.$/ })
      .waitFor();
    const pending = page.locator('#undelivered tbody tr').filter({ hasText: 'subaccount.created' });
    await expect(pending.getByRole('cell').nth(4).textContent()).resolves.toBe(
      'the receiver answered HTTP 500',
    );

    receiver.answerWith(200);
    await page.getByRole('button', { name: 'Redeliver' }).click();
    await status(page)
      .filter({ hasText: /^[1-9]\d* event\(s\) delivered, 0 still pending\.$/ })
      .waitFor();
    await expect(page.locator('#undelivered tbody tr').count()).resolves.toBe(0);
    expect(receiver.ofType('subaccount.created').every((got) => got.verified)).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('billing in the console', () => {
  it('adds up every subaccount with a markup, by currency and category, and downloads the CSV', async () => {
    // Two subaccounts made as create makes them, without the console (creating is tested above).
    const [first, second] = await Promise.all(
      ['Rebilled A', 'Rebilled B'].map(
        async (friendlyName) => (await provisionTenant(pages.sandbox, pages.env, { friendlyName })).sid,
      ),
    );
    const { page, errors } = await openConsole();
    await signIn(page);
    // A month long ago: only these records are in it.
    const usage = (accountSid: string, price: string) =>
      pages.sandbox.addUsage({ accountSid, category: 'calls-outbound', startDate: '2020-05-04', price });
    usage(first as string, '0.1');
    usage(second as string, '0.2');

    await page.getByRole('button', { name: 'Usage and billing' }).click();
    const billing = page.getByRole('region', { name: 'Billing', exact: true });
    await billing.getByLabel('From').fill('2020-05-01');
    await billing.getByLabel('To').fill('2020-05-31');
    await billing.getByLabel('Markup %').fill('10');
    await billing.getByRole('button', { name: 'Show totals' }).click();
    await status(page)
      .filter({ hasText: /^Totals over 1 page\(s\) of subaccounts, markup 10%\.$/ })
      .waitFor();
    const totals = billing.getByRole('table', { name: 'Grand totals' }).locator('tbody tr');
    // 0.1 + 0.2 is 0.3; each subaccount billed on its own: 0.11 + 0.22.
    // Every subaccount read counts in its currency's total, those without usage in the month too.
    await expect(totals.first().getByRole('cell').allTextContents()).resolves.toEqual([
      'USD',
      '0.3',
      '0.33',
      expect.stringMatching(/^\d+$/),
    ]);
    const outbound = billing.getByRole('table', { name: 'By category' }).locator('tbody tr');
    await expect(outbound.first().getByRole('cell').allTextContents()).resolves.toEqual([
      'calls-outbound',
      '2 minutes',
      '0.3 USD',
      '0.33 USD',
      '2',
    ]);

    // The same across subaccounts as a chart, one per currency, that a screen reader can read too.
    const chart = billing.getByRole('img', { name: 'Usage by category in USD: calls-outbound 0.30' });
    await expect(chart.locator('rect').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-billing.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      billing.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('usage-2020-05-01-to-2020-05-31.csv');
    const csv = await readFile(await download.path(), 'utf8');
    const rows = csv.split('\r\n');
    expect(rows[0]).toMatch(/^subaccountSid,friendlyName,status,/);
    expect(rows.filter((row) => row.includes(',calls-outbound,'))).toHaveLength(2);
    expect(rows).toContain(
      `${first},Rebilled A,active,2020-05-01,2020-05-31,USD,totalprice,Total Price,,,,,0.1,10,0.11`,
    );
    expect(errors).toEqual([]);
  });
});

describe('connected accounts in the console', () => {
  it("connects a customer's own account, updates its rotated credentials, test-calls through it and disconnects it", async () => {
    const made = await fetch(`${pages.sandbox.baseUrl}/__sandbox/accounts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ friendlyName: 'Harbor Clinic' }),
    });
    const customer = (await made.json()) as { sid: string; authToken: string };
    const { page, errors } = await openConsole();
    await signIn(page);
    const connect = page.locator('#connect-form');
    const alert = connect.getByRole('alert');

    // Refusals in the service's words: Twilio's (its error code), and a 409 for our own main account.
    await connect.getByLabel('Account SID').fill(customer.sid);
    await connect.getByLabel('Auth token').fill('f'.repeat(32));
    await connect.getByRole('button', { name: 'Connect' }).click();
    await alert
      .filter({
        hasText: `Twilio refused the Account SID and auth token given for ${customer.sid} (401, error 20003)`,
      })
      .waitFor();
    await statusIn(page, '#connect-form')
      .filter({ hasText: 'Nothing was changed by the last request.' })
      .waitFor();
    await connect.getByLabel('Account SID').fill(pages.env.ACCOUNT_SID ?? '');
    await connect.getByLabel('Auth token').fill(pages.env.AUTH_TOKEN ?? '');
    await connect.getByRole('button', { name: 'Connect' }).click();
    await alert.filter({ hasText: "is this service's own main account; it cannot be connected." }).waitFor();

    await connect.getByLabel('Account SID').fill(customer.sid);
    await connect.getByLabel('Auth token').fill(customer.authToken);
    await connect.getByRole('button', { name: 'Connect' }).click();
    await statusIn(page, '#connect-form')
      .filter({ hasText: `Connected Harbor Clinic (${customer.sid})` })
      .waitFor();
    // The token went with the request and stays nowhere in the page.
    await expect(connect.getByLabel('Auth token').inputValue()).resolves.toBe('');
    const row = page.locator('#subaccounts').getByRole('row').filter({ hasText: customer.sid });
    await expect(row.getByRole('cell').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['Harbor Clinic', 'active', 'connected account']),
    );

    // Its view offers what fits a customer's own account: no suspend or close, but disconnect.
    await openDetail(page, 'Harbor Clinic');
    await expect(page.getByRole('button', { name: 'Suspend', exact: true }).isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Close subaccount' }).isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Disconnect' }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'All subaccounts' }).click();

    // Its owner changes the auth token in their Console; the admin updates it from the row's menu.
    const rotated = await fetch(`${pages.sandbox.baseUrl}/__sandbox/accounts/${customer.sid}/auth-token`, {
      method: 'POST',
    });
    const { authToken: newToken } = (await rotated.json()) as { authToken: string };
    await row.getByLabel('More actions for Harbor Clinic').click();
    await row.getByRole('button', { name: 'Update credentials of Harbor Clinic' }).click();
    const dialog = page.getByRole('dialog', { name: 'Update credentials of Harbor Clinic' });
    await dialog.getByLabel('New auth token').fill(customer.authToken);
    await dialog.getByRole('button', { name: 'Authorize' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Twilio refused the auth token given' }).waitFor();
    await dialog.getByLabel('New auth token').fill(newToken);
    await dialog.getByRole('button', { name: 'Authorize' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Credentials of Harbor Clinic updated' }).waitFor();
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    expect(html).not.toContain(newToken);
    expect(html).not.toContain(customer.authToken);
    await expect(
      page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage })),
    ).resolves.not.toContain(newToken);

    // The test call: the account's softphone opens signed in, registers, and calls a number through it.
    const [phone] = await Promise.all([
      page.waitForEvent('popup'),
      dialog.getByRole('button', { name: 'Make a test call' }).click(),
    ]);
    const phoneErrors = collectErrors(phone);
    // The new tab in front, as the operator sees it (a background tab's frames are throttled).
    await phone.bringToFront();
    await phone
      .locator('#line')
      .filter({ hasText: 'Ready: you can make and take calls.' })
      .waitFor({ timeout: 20_000 });
    await phone.getByLabel('Number or colleague to call').fill('+14155550123');
    await phone.getByRole('button', { name: 'Call' }).click();
    // Attached, not visible: on a busy machine Chromium may leave the popup's layout unrun for the whole
    // wait (its text updated, its box still empty), as with the Hang up button below.
    await phone
      .locator('#call-text')
      .filter({ hasText: 'On a call with +14155550123' })
      .waitFor({ state: 'attached', timeout: 20_000 });
    const testCall = pages.sandbox.state.calls.find((call) => call.to === '+14155550123');
    expect(testCall?.accountSid).toBe(customer.sid);
    await phone.screenshot({ path: path.join(SCREENSHOTS, 'admin-test-call.png'), fullPage: true });
    // Pressed as a script would: Playwright's visibility check on the popup's button never settles.
    await phone.locator('#hangup').dispatchEvent('click');
    await phone.locator('#recent-rows tr').first().waitFor({ state: 'attached' });
    await phone.close();
    // The SDK's reports to Twilio's hosts fail here (no host but localhost resolves); nothing else may.
    expect(phoneErrors.filter((error) => !error.includes('ERR_NAME_NOT_RESOLVED'))).toEqual([]);
    await dialog.getByRole('button', { name: 'Not now' }).click();

    // Disconnect asks twice, like close: the SID typed, then the dialog that says what it does.
    await openDetail(page, 'Harbor Clinic');
    await page.getByLabel('To stop serving this account, type its SID').fill(customer.sid);
    await page.getByRole('button', { name: 'Disconnect' }).click();
    const confirm = page.getByRole('dialog', { name: `Disconnect Harbor Clinic (${customer.sid})?` });
    await confirm.getByRole('button', { name: 'Disconnect Harbor Clinic' }).click();
    await statusIn(page, '#disconnect-form').filter({ hasText: 'Harbor Clinic is disconnected' }).waitFor();
    await expect(page.getByRole('button', { name: 'Disconnect' }).isDisabled()).resolves.toBe(true);
    expect(pages.sandbox.state.applications.filter((app) => app.accountSid === customer.sid)).toEqual([]);
    expect(pages.sandbox.state.keys.filter((key) => key.accountSid === customer.sid)).toEqual([]);
    await page.getByRole('button', { name: 'All subaccounts' }).click();
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe('disconnected');
    await expect(row.getByLabel('More actions for Harbor Clinic').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-connected-account.png'), fullPage: true });
    // The browser logs the refused requests themselves; nothing else may go wrong on the page.
    expect(errors.filter((error) => !error.startsWith('Failed to load resource'))).toEqual([]);
  });
});
