/**
 * Calls end to end through the real Voice SDK, in headless Chromium with fake media devices, against
 * the sandbox's calling edge (sandbox/edge): the softphone registers, calls a number and hears its echo,
 * sends digits, hangs up, and takes an inbound call. The page is the local build: the softphone's
 * assets pointed at the sandbox (scripts/local/softphone-sandbox-edge.ts), served by twilio-run.
 */
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox';
import { pointSoftphoneAtSandbox } from '../../scripts/local/softphone-sandbox-edge';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../helpers/provision-tenant';
import { serviceEnv } from '../helpers/service-env';
import { freePort, serveDist, type ServedService } from '../helpers/twilio-run-server';
import { collectErrors, launchChromium, SCREENSHOTS } from './chromium';

jest.setTimeout(60_000);

const dist = path.resolve(__dirname, '../../dist');
/** This suite's own copy of the assets, inside dist/ where twilio-run looks for them. */
const ASSETS_FOLDER = `assets-sandbox-edge-${process.pid}`;
const CALLEE = '+14155550123';
const CALLER = '+14155550199';

let sandbox: Sandbox;
let service: ServedService;
let browser: Browser;
let env: Record<string, string>;
let tenant: ProvisionedTenant;

beforeAll(async () => {
  sandbox = await startSandbox({ voiceEdge: {} });
  const port = await freePort();
  env = sandboxEnv(sandbox, serviceEnv({ PUBLIC_BASE_URL: `http://localhost:${port}`, ALLOWED_ORIGINS: '' }));
  tenant = await provisionTenant(sandbox, env, { friendlyName: 'Acme' });
  // Calls to the tenant's number ring alice's softphone.
  tenant = await provisionTenant(sandbox, env, {
    friendlyName: 'Acme calls',
    record: { inboundRouting: {} },
  });
  await cp(path.join(dist, 'assets'), path.join(dist, ASSETS_FOLDER), { recursive: true });
  await pointSoftphoneAtSandbox(path.join(dist, ASSETS_FOLDER), sandbox.voiceEdge?.host ?? '');
  [service, browser] = await Promise.all([
    serveDist(env, { port, assetsFolder: `dist/${ASSETS_FOLDER}` }),
    launchChromium([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      // The gateway's certificate is made at start and trusted by nobody.
      '--ignore-certificate-errors',
    ]),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await sandbox?.close();
  await rm(path.join(dist, ASSETS_FOLDER), { recursive: true, force: true });
});

/** Keeps every RTCPeerConnection the page makes, so the test can read getStats() as the SDK does. */
function keepPeerConnections(): void {
  const Original = window.RTCPeerConnection;
  const kept: RTCPeerConnection[] = [];
  (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections = kept;
  window.RTCPeerConnection = class extends Original {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      kept.push(this);
    }
  };
}

async function openSoftphone(identity: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  if (process.env.DEBUG_PAGE) page.on('console', (m) => console.log(`[page] ${m.type()} ${m.text()}`));
  await page.addInitScript(keepPeerConnections);
  const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity, accountSid: tenant.sid });
  await page.goto(`${service.url}/softphone.html#ticket=${ticket}`);
  return { page, errors };
}

/** Audio bytes of the page's newest peer connection, both ways, as getStats() reports them. */
function audioBytes(page: Page): Promise<{ sent: number; received: number }> {
  return page.evaluate(async () => {
    const kept = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
    const pc = kept[kept.length - 1];
    let sent = 0;
    let received = 0;
    (await pc?.getStats())?.forEach((report: { type: string; kind?: string; bytesSent?: number; bytesReceived?: number }) => {
      if (report.type === 'outbound-rtp' && report.kind === 'audio') sent += report.bytesSent ?? 0;
      if (report.type === 'inbound-rtp' && report.kind === 'audio') received += report.bytesReceived ?? 0;
    });
    return { sent, received };
  });
}

async function expectAudioBothWays(page: Page): Promise<void> {
  const first = await audioBytes(page);
  await page.waitForFunction(
    async (before) => {
      const kept = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
      let sent = 0;
      let received = 0;
      (await kept[kept.length - 1]?.getStats())?.forEach((report: { type: string; bytesSent?: number; bytesReceived?: number }) => {
        if (report.type === 'outbound-rtp') sent += report.bytesSent ?? 0;
        if (report.type === 'inbound-rtp') received += report.bytesReceived ?? 0;
      });
      return sent > before.sent + 1000 && received > before.received + 1000;
    },
    first,
    { timeout: 15_000, polling: 500 },
  );
}

const line = (page: Page) => page.locator('#line');
const callText = (page: Page) => page.locator('#call-text');

describe('calls through the real Voice SDK and the sandbox edge', () => {
  let page: Page;
  let errors: string[];

  it('registers', async () => {
    ({ page, errors } = await openSoftphone('alice'));
    if (process.env.DEBUG_PAGE) {
      await new Promise((r) => setTimeout(r, 8000));
      console.log(await page.locator('body').innerText(), sandbox.voiceEdge?.events);
    }
    await line(page).filter({ hasText: 'Ready: you can make and take calls.' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'softphone-call-registered.png'), fullPage: true });
  });

  it('calls a number and hears it, audio flowing both ways', async () => {
    await page.getByLabel('Number or colleague to call').fill(CALLEE);
    await page.getByRole('button', { name: 'Call' }).click();
    await callText(page).filter({ hasText: `On a call with ${CALLEE}` }).waitFor({ timeout: 20_000 });
    await expectAudioBothWays(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'softphone-call-in-call.png'), fullPage: true });
    const call = sandbox.state.calls.find((candidate) => candidate.to === CALLEE && candidate.direction === 'inbound');
    expect(call?.status).toBe('in-progress');
  });
});
