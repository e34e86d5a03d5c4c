/**
 * `npm run load:calls -- --browsers 10 --minutes 10`: softphones in calls that last. Starts the sandbox
 * with its calling edge and the built service (as `npm start` does, loopback only: the stage of the
 * calling browser suites, test/browser/softphone-stage.ts), opens that many softphones in headless
 * Chromium (one browser context each: a browser of its own as far as the page can tell), one after
 * the other, each calls a number, and all are held that long. Every 30 s it checks each call is still up
 * and prints the machine's load average; at the end, per call: whether it is alive, its audio packets
 * both ways over the last 10 s, and its reconnections (the softphone saying "Reconnecting", and what the
 * edge saw: ICE restarts answered, signalling resumed). Exits non-zero unless every call is alive at
 * the end with audio both ways. Not part of `npm test` (test/browser/long-call.test.ts holds one call
 * 60 s there).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { audioPacketsOver, keepPeerConnections } from '../testkit/call-media';
import { callNumber, openSoftphone } from '../testkit/softphone-page';
import { startSoftphoneStage } from '../testkit/softphone-stage';
import { markdownTable } from '../testkit/markdown-table';
import { provisionTenant } from '../testkit/provision-tenant';
import { ensureChromium } from '../testkit/find-chromium';

const { values: args } = parseArgs({
  options: { browsers: { type: 'string', default: '10' }, minutes: { type: 'string', default: '10' } },
});
const BROWSERS = Number(args.browsers);
const HOLD_MS = Number(args.minutes) * 60_000;
const CHECK_EVERY_MS = 30_000;
const CALLEE = '+14155550123';

interface HeldCall {
  identity: string;
  page: Page;
  /** The first check at which the call was not up, if any. */
  lostAtSecond?: number;
  /** Why the call never came up, if it did not: the others are held all the same. */
  notStarted?: string;
}

/** Counts, in the page, each time the softphone's call panel says "Reconnecting". */
function countReconnections(): void {
  const seen = { reconnecting: 0 };
  Object.assign(window, { reconnections: seen });
  document.addEventListener('DOMContentLoaded', () => {
    const state = document.getElementById('call-state');
    if (!state) return;
    let last = '';
    new MutationObserver(() => {
      const text = state.textContent ?? '';
      if (text === 'Reconnecting' && last !== text) seen.reconnecting += 1;
      last = text;
    }).observe(state, { childList: true, characterData: true, subtree: true });
  });
}

/** The call's state in a word, as the softphone's call panel shows it ("In call", "Reconnecting", ...). */
const stateOf = (page: Page) =>
  page
    .locator('#call-state')
    .textContent({ timeout: 5_000 })
    .catch(() => 'page gone');
const inCall = async (page: Page) => (await stateOf(page)) === 'In call';
const reconnectionsOf = (page: Page) =>
  page
    .evaluate(
      () => (window as unknown as { reconnections: { reconnecting: number } }).reconnections.reconnecting,
    )
    .catch(() => -1);
const load = () =>
  loadavg()
    .map((average) => average.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  if (!(BROWSERS > 0 && HOLD_MS > 10_000)) throw new Error('Usage: load:calls -- --browsers N --minutes M');
  process.env.CHROMIUM_PATH ??= ensureChromium();
  const stage = await startSoftphoneStage('load-calls', (sandbox, env) =>
    provisionTenant(sandbox, env, { friendlyName: 'Load calls' }),
  );
  const { sandbox, prepared: tenant } = stage;
  try {
    console.error(`load: ${BROWSERS} softphones, each in a call for ${HOLD_MS / 60_000} min ...`);
    const calls: HeldCall[] = [];
    // One after the other: ten pages loading the SDK and negotiating media at once would measure the
    // start, not the hold.
    for (let index = 0; index < BROWSERS; index++) {
      const identity = `load_${index}`;
      const context = await stage.browser.newContext();
      try {
        const { page } = await openSoftphone(context, {
          ...stage.softphone(identity, tenant.sid),
          initScripts: [keepPeerConnections, countReconnections],
        });
        await callNumber(page, CALLEE);
        calls.push({ identity, page });
      } catch (error) {
        const page = context.pages()[0] ?? (await context.newPage());
        calls.push({ identity, page, notStarted: (error as Error).message.split('\n')[0], lostAtSecond: 0 });
      }
      console.error(`  ${identity}: ${calls.at(-1)?.notStarted ?? 'in call'}; load average ${load()}`);
    }
    const started = Date.now();
    while (Date.now() - started < HOLD_MS - 10_000) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(CHECK_EVERY_MS, HOLD_MS - 10_000 - (Date.now() - started))),
      );
      const second = Math.round((Date.now() - started) / 1000);
      for (const call of calls)
        if (call.lostAtSecond === undefined && !(await inCall(call.page))) call.lostAtSecond = second;
      const up = calls.filter((call) => call.lostAtSecond === undefined).length;
      console.error(`  ${second} s: ${up} of ${BROWSERS} calls up; load average ${load()}`);
    }
    const packets = await Promise.all(calls.map((call) => audioPacketsOver(call.page, 10_000)));
    const alive = await Promise.all(calls.map((call) => inCall(call.page)));
    const reconnections = await Promise.all(calls.map((call) => reconnectionsOf(call.page)));
    const edgeSaw = (identity: string, event: string) => {
      const sids = new Set(
        sandbox.state.calls.filter((call) => call.from === `client:${identity}`).map((call) => call.sid),
      );
      return (sandbox.voiceEdge?.events ?? []).filter(
        (entry) => sids.has(entry.callSid ?? '') && entry.event === event,
      ).length;
    };
    const rows = calls.map((call, index) => [
      call.identity,
      alive[index] && call.lostAtSecond === undefined
        ? 'yes'
        : `no (${call.notStarted ? 'never up' : `lost by ${call.lostAtSecond ?? HOLD_MS / 1000} s`})`,
      packets[index]?.sent ?? 0,
      packets[index]?.received ?? 0,
      reconnections[index] ?? -1,
      edgeSaw(call.identity, 'ICE restart answered'),
      edgeSaw(call.identity, 'reconnected'),
    ]);
    console.log(
      markdownTable(
        [
          'softphone',
          `in call after ${HOLD_MS / 60_000} min`,
          'packets sent, last 10 s',
          'packets received, last 10 s',
          'said Reconnecting',
          'ICE restarts',
          'signalling resumed',
        ],
        rows,
      ),
    );
    console.log(`\nload average (1, 5, 15 min) at the end: ${load()}`);
    const failed = calls.filter(
      (call, index) =>
        !alive[index] ||
        call.lostAtSecond !== undefined ||
        (packets[index]?.sent ?? 0) === 0 ||
        (packets[index]?.received ?? 0) === 0,
    );
    if (failed.length) {
      console.error(`load: FAILED: ${failed.length} of ${BROWSERS} calls did not last`);
      process.exitCode = 1;
    }
  } finally {
    await stage.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
