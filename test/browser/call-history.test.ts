/**
 * The console's recordings and call history, in Chromium against dist/ served by twilio-run: after a
 * recorded call and a voicemail played by the sandbox, an admin lists them, plays one through its
 * signed link (the audio element loads it from our own origin, under the page's CSP), deletes it, and
 * reads the call history.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { provisionTenant, updateTenantRecord, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { adminKeyOf } from '../../testkit/service-env';
import { collectErrors, SCREENSHOTS } from '../../testkit/chromium';
import { startPagesService, type PagesService } from './pages-service';

jest.setTimeout(60_000);

let pages: PagesService;
let tenant: ProvisionedTenant;

beforeAll(async () => {
  pages = await startPagesService(
    {},
    {
      prepare: async (sandbox, env) => {
        tenant = await provisionTenant(sandbox, env, { friendlyName: 'Acme Dental' });
        await updateTenantRecord(env, tenant, {
          recording: true,
          inboundRouting: { [tenant.numbers[0] as string]: ['bob'] },
        });
      },
    },
  );
  const answered = await pages.sandbox.inboundCall({ to: tenant.numbers[0] as string, from: '+14155550100' });
  await pages.sandbox.completeCall(answered.callSid, { answeredSeconds: 3 });
  const unanswered = await pages.sandbox.inboundCall({ to: tenant.numbers[0] as string });
  await pages.sandbox.followDialAction(unanswered.callSid, { DialCallStatus: 'no-answer' });
  await pages.sandbox.leaveVoicemail(unanswered.callSid, { seconds: 2 });
}, 90_000);

afterAll(() => pages?.stop());

const status = (page: Page) => page.getByRole('status');

it('lists recordings and voicemail, plays one through its signed link, deletes it, and shows the calls', async () => {
  const page = await pages.browser.newPage();
  const errors = collectErrors(page);
  await page.goto(`${pages.service.url}/admin.html`);
  await page.getByLabel('Admin key').fill(adminKeyOf(pages.env));
  await page.getByRole('button', { name: 'Use key' }).click();
  await page.getByRole('button', { name: 'Select Acme Dental' }).click();
  await status(page).filter({ hasText: 'Acme Dental selected.' }).waitFor();

  await page.getByRole('button', { name: 'Show recordings' }).click();
  await status(page).filter({ hasText: '2 recording(s) shown.' }).waitFor();
  const voicemail = page.locator('#recordings tbody tr').filter({ hasText: 'voicemail' });
  const recordingSid = pages.sandbox.state.recordings.find((r) => r.source === 'RecordVerb')?.sid ?? '';
  await voicemail.getByRole('button', { name: `Play recording ${recordingSid}` }).click();
  await status(page)
    .filter({ hasText: `Playing ${recordingSid}` })
    .waitFor();
  const player = page.locator('#recording-player');
  await expect(player.getAttribute('src')).resolves.toMatch(/\/recording-media\?.*signature=/);
  // The browser fetched and decoded the WAV: it knows the recording's length (2 s of tone).
  await page.waitForFunction(() => {
    const audio = document.querySelector<HTMLAudioElement>('#recording-player');
    return audio !== null && audio.readyState >= 1 && Math.round(audio.duration) === 2;
  });

  await voicemail.getByRole('button', { name: `Delete recording ${recordingSid}` }).click();
  await status(page)
    .filter({ hasText: `Recording ${recordingSid} deleted.` })
    .waitFor();
  expect(pages.sandbox.state.recordings.some((r) => r.sid === recordingSid)).toBe(false);
  await expect(page.locator('#recordings tbody tr').count()).resolves.toBe(1);

  await page.getByRole('button', { name: 'Show calls' }).click();
  await status(page)
    .filter({ hasText: /call\(s\) shown\./ })
    .waitFor();
  const answeredRow = page
    .locator('#calls tbody tr')
    .filter({ hasText: '+14155550100' })
    .filter({ hasText: tenant.numbers[0] as string });
  await expect(answeredRow.getByRole('cell').nth(4).textContent()).resolves.toBe('3');
  await expect(answeredRow.getByRole('cell').nth(6).textContent()).resolves.toBe('-0.00850 USD');

  await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-call-history.png'), fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});
