/**
 * `npm run load:calls`: softphones in calls that last. Starts the sandbox with its calling edge and the
 * built service (as `npm start` does, loopback only), opens LOAD_CALLS softphones (10) in headless
 * Chromium (one browser context each: a browser of its own as far as the page can tell), each calls a
 * number and holds the call for LOAD_CALL_SECONDS (600). Every 30 s it checks each call is still up; at
 * the end it counts each call's audio packets over the last 10 s. Exits non-zero unless every call is
 * alive at the end, audio both ways. Not part of `npm test` (test/browser/long-call.test.ts holds one
 * call 60 s there).
 */
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startSandbox } from '../sandbox';
import { pointSoftphoneAtSandbox } from '../scripts/local/softphone-sandbox-edge';
import { mintTicket } from '../src/tokens/mint-ticket';
import { audioPacketsOver, keepPeerConnections } from '../testkit/call-media';
import { launchChromium } from '../testkit/chromium';
import { markdownTable } from '../testkit/markdown-table';
import { provisionTenant, sandboxEnv } from '../testkit/provision-tenant';
import { serviceEnv } from '../testkit/service-env';
import { freePort, serveDist } from '../testkit/twilio-run-server';
import { ensureChromium } from '../testkit/find-chromium';

const CALLS = Number(process.env.LOAD_CALLS ?? 10);
const HOLD_SECONDS = Number(process.env.LOAD_CALL_SECONDS ?? 600);
const CHECK_EVERY_MS = 30_000;
const CALLEE = '+14155550123';
const dist = path.resolve(__dirname, '../dist');
const ASSETS_FOLDER = `assets-load-calls-${process.pid}`;

interface HeldCall {
  identity: string;
  page: Page;
  /** The first check at which the call was not up, if any. */
  lostAtSecond?: number;
}

/** The call's state in a word, as the softphone's call panel shows it ("In call", "Reconnecting", ...). */
const stateOf = (page: Page) =>
  page
    .locator('#call-state')
    .textContent({ timeout: 5_000 })
    .catch(() => 'page gone');
const inCall = async (page: Page) => (await stateOf(page)) === 'In call';

async function main(): Promise<void> {
  process.env.CHROMIUM_PATH ??= ensureChromium();
  const sandbox = await startSandbox({ voiceEdge: {} });
  const port = await freePort();
  const env = sandboxEnv(
    sandbox,
    serviceEnv({ PUBLIC_BASE_URL: `http://localhost:${port}`, ALLOWED_ORIGINS: '' }),
  );
  const tenant = await provisionTenant(sandbox, env, { friendlyName: 'Load calls' });
  await cp(path.join(dist, 'assets'), path.join(dist, ASSETS_FOLDER), { recursive: true });
  await pointSoftphoneAtSandbox(path.join(dist, ASSETS_FOLDER), sandbox.voiceEdge?.host ?? '');
  const service = await serveDist(env, { port, assetsFolder: `dist/${ASSETS_FOLDER}` });
  const browser = await launchChromium([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
  ]);
  try {
    console.error(`load: ${CALLS} softphones, each in a call for ${HOLD_SECONDS} s ...`);
    const calls: HeldCall[] = await Promise.all(
      Array.from({ length: CALLS }, async (_, index) => {
        const identity = `load_${index}`;
        const page = await (await browser.newContext()).newPage();
        await page.addInitScript(keepPeerConnections);
        const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity, accountSid: tenant.sid });
        await page.goto(`${service.url}/softphone.html#ticket=${ticket}`);
        await page.locator('#line').filter({ hasText: 'Ready: you can make and take calls.' }).waitFor();
        await page.getByLabel('Number or colleague to call').fill(CALLEE);
        await page.getByRole('button', { name: 'Call' }).click();
        await page.getByRole('heading', { name: 'In call' }).waitFor({ timeout: 60_000 });
        return { identity, page };
      }),
    );
    const started = Date.now();
    const holdMs = HOLD_SECONDS * 1000;
    while (Date.now() - started < holdMs - 10_000) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(CHECK_EVERY_MS, holdMs - 10_000 - (Date.now() - started))),
      );
      const second = Math.round((Date.now() - started) / 1000);
      for (const call of calls)
        if (call.lostAtSecond === undefined && !(await inCall(call.page))) call.lostAtSecond = second;
      const up = calls.filter((call) => call.lostAtSecond === undefined).length;
      console.error(`  ${second} s: ${up} of ${CALLS} calls up`);
    }
    const packets = await Promise.all(calls.map((call) => audioPacketsOver(call.page, 10_000)));
    const alive = await Promise.all(calls.map((call) => inCall(call.page)));
    const rows = calls.map((call, index) => [
      call.identity,
      alive[index] && call.lostAtSecond === undefined
        ? 'yes'
        : `no (lost by ${call.lostAtSecond ?? HOLD_SECONDS} s)`,
      packets[index]?.sent ?? 0,
      packets[index]?.received ?? 0,
    ]);
    console.log(
      markdownTable(
        [
          'softphone',
          `in call after ${HOLD_SECONDS} s`,
          'packets sent, last 10 s',
          'packets received, last 10 s',
        ],
        rows,
      ),
    );
    const failed = calls.filter(
      (call, index) =>
        !alive[index] ||
        call.lostAtSecond !== undefined ||
        (packets[index]?.sent ?? 0) === 0 ||
        (packets[index]?.received ?? 0) === 0,
    );
    if (failed.length) {
      console.error(`load: FAILED: ${failed.length} of ${CALLS} calls did not last`);
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
    await service.stop();
    await sandbox.close();
    await rm(path.join(dist, ASSETS_FOLDER), { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
