/**
 * Calls end to end through the real Voice SDK, in headless Chromium with fake media devices, against
 * the sandbox's calling edge (sandbox/edge): the softphone registers, calls a number and hears its echo,
 * sends digits, hangs up, and takes an inbound call. The page is the local build: the softphone's
 * assets pointed at the sandbox (scripts/local/softphone-sandbox-edge.ts), served by twilio-run.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../../sandbox';
import { provisionTenant, updateTenantRecord, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { expectAudioBothWays, keepPeerConnections } from '../../testkit/call-media';
import { SCREENSHOTS } from '../../testkit/chromium';
import {
  callNumber,
  hangUp,
  openSoftphone as open,
  READY,
  unexpectedErrors,
} from '../../testkit/softphone-page';
import { startSoftphoneStage, type SoftphoneStage } from '../../testkit/softphone-stage';

jest.setTimeout(60_000);

const run = promisify(execFile);
const CALLEE = '+14155550123';
const CALLER = '+14155550199';
/**
 * Audio flowing both ways, seen as a quarter second of PCMU (2000 bytes, 12 packets of 160) more each
 * way: enough to show the media path works end to end (long-call.test.ts counts a held minute of it).
 */
const AUDIO = { bytes: 2000 };

let stage: SoftphoneStage<{ tenant: ProvisionedTenant; recorded: ProvisionedTenant }>;
let sandbox: Sandbox;
/** Its number rings alice. */
let tenant: ProvisionedTenant;
/** A second customer whose calls are recorded. */
let recorded: ProvisionedTenant;

beforeAll(async () => {
  stage = await startSoftphoneStage('sandbox-edge', async (sandbox, env) => {
    const [acme, records] = await Promise.all([
      provisionTenant(sandbox, env, { friendlyName: 'Acme' }),
      provisionTenant(sandbox, env, { friendlyName: 'Recorded', record: { recording: true } }),
    ]);
    await updateTenantRecord(env, acme, { inboundRouting: { [acme.numbers[0] ?? '']: ['alice'] } });
    return { tenant: acme, recorded: records };
  });
  ({ sandbox } = stage);
  ({ tenant, recorded } = stage.prepared);
});

afterAll(async () => {
  await stage?.close();
});

/** Every sentence the page's status line and phone line said, in order, as a screen reader heard them. */
function recordAnnouncements(): void {
  const said: string[] = [];
  (window as unknown as { said: string[] }).said = said;
  document.addEventListener('DOMContentLoaded', () => {
    for (const id of ['status', 'line']) {
      const element = document.getElementById(id);
      if (!element) continue;
      new MutationObserver(() => {
        const text = element.textContent ?? '';
        if (said[said.length - 1] !== text) said.push(text);
      }).observe(element, { childList: true, characterData: true, subtree: true });
    }
  });
}

const announcements = (page: Page) => page.evaluate(() => (window as unknown as { said: string[] }).said);

const openSoftphone = (identity: string, fragment = '', accountSid = tenant.sid) =>
  open(stage.browser, {
    ...stage.softphone(identity, accountSid),
    fragment,
    initScripts: [keepPeerConnections, recordAnnouncements],
  });

/** The rows of the Recent calls table, as a person reads them. */
const recentCalls = (page: Page) =>
  page
    .getByRole('region', { name: 'Recent calls' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell') })
    .evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent)),
    );
const callText = (page: Page) => page.locator('#call-text');

describe('calls through the real Voice SDK and the sandbox edge', () => {
  let page: Page;
  let errors: string[];

  it('registers', async () => {
    ({ page, errors } = await openSoftphone('alice'));
    const said = await announcements(page);
    expect(said.indexOf('Registering with Twilio…')).toBeGreaterThanOrEqual(0);
    expect(said.indexOf('Registering with Twilio…')).toBeLessThan(said.indexOf(READY));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'softphone-call-registered.png'), fullPage: true });
  });

  it("offers the microphones and speakers the browser has, chosen through the SDK's audio helper", async () => {
    const sound = page.getByRole('region', { name: 'Sound' });
    const microphone = sound.getByRole('combobox', { name: 'Microphone' });
    const speaker = sound.getByRole('combobox', { name: 'Speaker' });
    await page.waitForFunction(
      () => (document.getElementById('microphone') as HTMLSelectElement | null)?.options.length,
    );
    const microphones = await microphone.locator('option').allTextContents();
    await microphone.selectOption({ label: microphones[microphones.length - 1] ?? '' });
    await sound.getByText(`Microphone: ${microphones[microphones.length - 1]}.`).waitFor();
    // Headless Chromium can play to a chosen output (HTMLMediaElement.setSinkId).
    await expect(speaker.isEnabled()).resolves.toBe(true);
    const speakers = await speaker.locator('option').allTextContents();
    expect(speakers.length).toBeGreaterThan(0);
    await speaker.selectOption({ label: speakers[speakers.length - 1] ?? '' });
    await sound.getByText(`Speaker: ${speakers[speakers.length - 1]}.`).waitFor();
  });

  it('says in a sentence when the browser cannot choose the speaker', async () => {
    const { page: browserPage } = await open(stage.browser, {
      ...stage.softphone('erin', tenant.sid),
      // As in a browser without HTMLMediaElement.setSinkId (Safari, older Firefox).
      initScripts: [() => delete (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId],
      waitUntilReady: false,
    });
    await browserPage
      .getByText(
        "This browser can't choose the speaker: calls play through your computer's default sound output.",
      )
      .waitFor();
    await expect(browserPage.getByRole('combobox', { name: 'Speaker' }).isDisabled()).resolves.toBe(true);
    await browserPage.close();
  });

  it('calls a number and hears it, audio flowing both ways', async () => {
    await callNumber(page, CALLEE);
    await expectAudioBothWays(page, AUDIO);
    // The state in a word on the call panel, and in a sentence where screen readers hear it.
    await expect(page.getByRole('heading', { name: 'In call' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('status').textContent()).resolves.toBe(`In call with ${CALLEE}.`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'softphone-call-in-call.png'), fullPage: true });
    const call = sandbox.state.calls.find(
      (candidate) => candidate.to === CALLEE && candidate.direction === 'inbound',
    );
    expect(call?.status).toBe('in-progress');
  });

  it('sends tones from the dial pad and from digits typed on the keyboard, which the sandbox receives', async () => {
    const pad = page.getByRole('group', { name: 'Dial pad' });
    await pad.getByRole('button', { name: '1', exact: true }).click();
    await pad.getByRole('button', { name: 'pound' }).click();
    // Typed anywhere but in a field (the Hang up button has the focus once the call is up).
    await page.keyboard.press('4');
    await page.keyboard.press('*');
    await page.getByText('Tones sent: 1#4*').waitFor();
    const callSid = sandbox.state.calls.find((call) => call.to === CALLEE)?.sid;
    await waitUntil(() => (sandbox.voiceEdge?.digits.length ?? 0) >= 4);
    // Listed where a person running `npm start` can read them too.
    const edge = (await (await fetch(`${sandbox.baseUrl}/__sandbox/voice-edge`)).json()) as {
      digits: { digit: string; via: string; callSid: string }[];
    };
    expect(edge.digits.map(({ digit, via, callSid: sid }) => ({ digit, via, sid }))).toEqual(
      ['1', '#', '4', '*'].map((digit) => ({ digit, via: 'rtp', sid: callSid })),
    );
  });

  it("says the SDK's call-quality warnings in words, and drops them once cleared", async () => {
    // The browser stops sending audio (as a dead microphone would): the SDK's stats monitor raises
    // low-bytes-sent after 3 samples a second apart, and clears it once audio flows again.
    await page.evaluate(async () => {
      const kept = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
      const sender = kept[kept.length - 1]
        ?.getSenders()
        .find((candidate) => candidate.track?.kind === 'audio');
      (window as unknown as { stoppedTrack?: MediaStreamTrack | null }).stoppedTrack = sender?.track;
      await sender?.replaceTrack(null);
    });
    const quality = page.getByRole('list', { name: 'Call quality' });
    await quality.getByText('Your microphone is not sending any sound.').waitFor({ timeout: 15_000 });
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'softphone-call-quality-warning.png'),
      fullPage: true,
    });
    await page.evaluate(async () => {
      const kept = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
      const sender = kept[kept.length - 1]?.getSenders().find((candidate) => candidate.track === null);
      await sender?.replaceTrack((window as unknown as { stoppedTrack: MediaStreamTrack }).stoppedTrack);
    });
    // The SDK keeps a warning at least 5 s after raising it (statsMonitor.ts WARNING_TIMEOUT) and clears
    // it after samples a second apart show audio again: real time, since moving the page's clock makes
    // the samples' rates wrong and the warning can be raised again.
    await page.waitForFunction(() => document.getElementById('quality')?.children.length === 0, undefined, {
      timeout: 20_000,
    });
  });

  it('hangs up, and the call ends on both sides', async () => {
    await hangUp(page, CALLEE);
    await waitUntil(() => sandbox.state.calls.filter((call) => call.status === 'completed').length === 2);
    // Every state of the call was said in words, in order.
    const said = await announcements(page);
    const heard = said.slice(said.indexOf(`Connecting to ${CALLEE}…`));
    expect(heard).toEqual([
      `Connecting to ${CALLEE}…`,
      `Ringing ${CALLEE}…`,
      `In call with ${CALLEE}.`,
      `Call with ${CALLEE} ended.`,
    ]);
    const legs = sandbox.state.calls.map(({ to, direction, status }) => ({ to, direction, status }));
    expect(legs).toEqual([
      { to: CALLEE, direction: 'inbound', status: 'completed' },
      { to: CALLEE, direction: 'outbound-dial', status: 'completed' },
    ]);
    await expect(recentCalls(page)).resolves.toEqual([
      [CALLEE, 'Outgoing', expect.stringMatching(/^0:\d\d$/), 'Answered'],
    ]);
    // Twilio then tells the App's StatusCallback (the service's /voice/call-status), which answers it.
    const parent = sandbox.state.calls.find((call) => call.direction === 'inbound')?.sid;
    await waitUntil(
      () =>
        sandbox.voiceEdge?.events.some(
          ({ event, callSid }) => callSid === parent && event === 'status callback completed -> 200',
        ) ?? false,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'softphone-call-ended.png'), fullPage: true });
  });

  it('is rung by an inbound call to its number (npm run call) and accepts it, audio flowing both ways', async () => {
    const number = tenant.numbers[0] ?? '';
    await run(
      process.execPath,
      [
        require.resolve('tsx/cli'),
        'scripts/call.ts',
        '--sandbox',
        sandbox.baseUrl,
        '--to',
        number,
        '--from',
        CALLER,
      ],
      { cwd: path.resolve(__dirname, '../..') },
    );
    await page
      .locator('#incoming-text')
      .filter({ hasText: `${CALLER} is calling.` })
      .waitFor();
    const incoming = page.getByRole('region', { name: 'Ringing: incoming call' });
    await expect(incoming.isVisible()).resolves.toBe(true);
    // Which of the account's numbers was called, from the TwiML's <Parameter> (the SDK's customParameters).
    await expect(incoming.getByText(`They called ${number}.`).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      `Ringing: ${CALLER} is calling. They called ${number}.`,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'softphone-call-incoming.png'), fullPage: true });
    // The ringing call has the focus: Enter answers it, no mouse needed.
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Accept');
    await page.keyboard.press('Enter');
    await callText(page)
      .filter({ hasText: `On a call with ${CALLER}` })
      .waitFor();
    await expectAudioBothWays(page, AUDIO);
    const statusOf = (to: string) => sandbox.state.calls.find((call) => call.to === to)?.status;
    expect(statusOf(number)).toBe('in-progress');

    await hangUp(page, CALLER);
    await waitUntil(() => statusOf(number) === 'completed');
    expect(statusOf('client:alice')).toBe('completed');
    await expect(recentCalls(page)).resolves.toEqual([
      [CALLER, 'Incoming', expect.stringMatching(/^0:\d\d$/), 'Answered'],
      [CALLEE, 'Outgoing', expect.stringMatching(/^0:\d\d$/), 'Answered'],
    ]);
    expect(unexpectedErrors(errors)).toEqual([]);
    await page.context().close();
  });

  it('calls a colleague: a call given up while ringing is missed; then, by keyboard, each hears the other', async () => {
    const [carol, dave] = await Promise.all([openSoftphone('carol'), openSoftphone('dave')]);
    // Carol gives up before dave answers: dave has a missed call, carol a call not answered.
    await carol.page.getByLabel('Number or colleague to call').fill('dave');
    await carol.page.getByRole('button', { name: 'Call' }).click();
    await dave.page.locator('#incoming-text').filter({ hasText: 'carol is calling.' }).waitFor();
    await carol.page.getByRole('button', { name: 'Hang up' }).click();
    await dave.page.getByRole('status').filter({ hasText: 'Missed call from carol.' }).waitFor();
    await expect(recentCalls(dave.page)).resolves.toEqual([['carol', 'Incoming', '—', 'Missed']]);
    await expect(recentCalls(carol.page)).resolves.toEqual([['dave', 'Outgoing', '—', 'Not answered']]);
    await carol.page.getByLabel('Number or colleague to call').fill('');

    // By keyboard alone: type the name, Enter to call; on the other side, Enter answers.
    await carol.page.getByLabel('Number or colleague to call').focus();
    await carol.page.keyboard.type('dave');
    await carol.page.keyboard.press('Enter');
    await dave.page.locator('#incoming-text').filter({ hasText: 'carol is calling.' }).waitFor();
    await dave.page
      .getByRole('region', { name: 'Ringing: incoming call' })
      .getByText('They called you directly.')
      .waitFor();
    await dave.page.keyboard.press('Enter');
    await callText(dave.page).filter({ hasText: 'On a call with carol' }).waitFor();
    await callText(carol.page).filter({ hasText: 'On a call with dave' }).waitFor();
    // The sandbox bridges their media: what one sends, the other receives.
    await Promise.all([expectAudioBothWays(carol.page, AUDIO), expectAudioBothWays(dave.page, AUDIO)]);
    await dave.page.screenshot({
      path: path.join(SCREENSHOTS, 'softphone-call-colleague.png'),
      fullPage: true,
    });

    await dave.page.getByRole('button', { name: 'Hang up' }).click();
    await carol.page.getByRole('status').filter({ hasText: 'Call with dave ended.' }).waitFor();
    await dave.page.getByRole('status').filter({ hasText: 'Call with carol ended.' }).waitFor();
    await waitUntil(() =>
      sandbox.state.calls
        .filter((call) => call.from === 'client:carol')
        .every((call) => ['completed', 'canceled'].includes(call.status)),
    );
    expect(
      sandbox.state.calls
        .filter((call) => call.from === 'client:carol')
        .map(({ to, direction, status }) => ({ to, direction, status })),
    ).toEqual([
      { to: 'dave', direction: 'inbound', status: 'canceled' },
      { to: 'client:dave', direction: 'outbound-dial', status: 'canceled' },
      { to: 'dave', direction: 'inbound', status: 'completed' },
      { to: 'client:dave', direction: 'outbound-dial', status: 'completed' },
    ]);
    for (const { page: phone, errors: seen } of [carol, dave]) {
      expect(unexpectedErrors(seen)).toEqual([]);
      await phone.close();
    }
  });

  it('keeps a call up across a token renewal', async () => {
    // A 20 s token is renewed 10 s before it expires, through Device.updateToken(). Bob's page runs on
    // Playwright's clock (its own context; real time until moved), moved on to the renewal instead of
    // waiting for it: the keeper's timer and the SDK's tokenWillExpire are page timers.
    const context = await stage.browser.newContext();
    await context.clock.install();
    const bob = await open(context, {
      ...stage.softphone('bob', tenant.sid),
      fragment: '&ttl=20',
      initScripts: [keepPeerConnections, recordAnnouncements],
    });
    const firstExpiry = Date.parse(
      (await bob.page.locator('#expires').getAttribute('data-expires-at')) ?? '',
    );
    await callNumber(bob.page, CALLEE);
    const listens = () => sandbox.voiceEdge?.events.filter(({ event }) => event === 'listen bob').length ?? 0;
    expect(listens()).toBe(1);
    // Every token the page is answered from here on: a busy page may renew once more before it shows one.
    const renewals: string[] = [];
    bob.page.on('response', (response) => {
      if (new URL(response.url()).pathname !== '/token') return;
      void response.json().then(
        (answer: { expiresAt: string }) => renewals.push(answer.expiresAt),
        () => undefined,
      );
    });
    // To 9 s before the first token expires, past the renewal; then the page's wall clock is set back to
    // this machine's (its timers keep their places), so the renewed token, stamped by the service's
    // clock, is not taken for one about to expire.
    const pageNow = await bob.page.evaluate(() => Date.now());
    await bob.page.clock.fastForward(firstExpiry - 9_000 - pageNow);
    await bob.page.clock.setSystemTime(Date.now());
    // The page shows a renewed token's expiry (one it was answered after the renewal was due).
    let shown = '';
    await waitUntil(
      () => renewals.includes(shown),
      30_000,
      async () => {
        shown = (await bob.page.locator('#expires').getAttribute('data-expires-at')) ?? '';
      },
    );
    // The edge took the renewed token on the same connection, and the call goes on, audio both ways.
    await waitUntil(() => listens() >= 2);
    await expectAudioBothWays(bob.page, AUDIO);
    await expect(callText(bob.page).textContent()).resolves.toContain(`On a call with ${CALLEE}`);
    await bob.page.screenshot({
      path: path.join(SCREENSHOTS, 'softphone-call-token-renewed.png'),
      fullPage: true,
    });
    await hangUp(bob.page, CALLEE);
    expect(unexpectedErrors(bob.errors)).toEqual([]);
    await context.close();
  });

  it('records the call of a customer that records, as Twilio does for a <Dial record>, and reports it', async () => {
    const carol = await openSoftphone('carol', '', recorded.sid);
    await callNumber(carol.page, CALLEE);
    await expectAudioBothWays(carol.page, AUDIO);
    await carol.page.getByRole('button', { name: 'Hang up' }).click();
    await waitUntil(() => sandbox.state.recordings.some((entry) => entry.accountSid === recorded.sid));
    const recording = sandbox.state.recordings.find((entry) => entry.accountSid === recorded.sid);
    const parent = sandbox.state.calls.find(
      (call) => call.accountSid === recorded.sid && call.direction === 'inbound',
    );
    expect(recording).toMatchObject({ callSid: parent?.sid, source: 'DialVerb', channels: 2 });
    await waitUntil(
      () =>
        sandbox.voiceEdge?.events.some(
          ({ event, callSid }) => callSid === parent?.sid && event.startsWith(`recorded ${recording?.sid}`),
        ) ?? false,
    );
    await carol.page.close();
  });
});

/** Polls `condition` (after `refresh`, when given, gathers what it looks at). */
async function waitUntil(
  condition: () => boolean,
  timeoutMs = 10_000,
  refresh?: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (await refresh?.(); !condition(); await refresh?.()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the sandbox');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
