/**
 * A call that lasts, through the real Voice SDK in headless Chromium against the sandbox's calling edge,
 * held to the SDK's own protocol: its transport closes a socket silent for 15 s (wstransport.ts
 * HEARTBEAT_TIMEOUT, a constant of the SDK that no option shortens, so the call is held 60 s in real
 * time: four of those periods), restarts ICE when the media drops (rtc/peerconnection.ts iceRestart, a
 * `reinvite`), resumes a call over a new socket with the `reconnect` token of `answer` (call.ts
 * _onConnected), and ends a call the edge hangs up. No certificate flag: the page reaches the edge as
 * a stock browser does.
 */
import type { Page } from 'playwright-core';
import { provisionTenant, type ProvisionedTenant } from '../../testkit/provision-tenant';
import { audioPacketsOver, keepPeerConnections } from '../../testkit/call-media';
import { callNumber, hangUp, openSoftphone as open, unexpectedErrors } from '../../testkit/softphone-page';
import { startSoftphoneStage, type SoftphoneStage } from '../../testkit/softphone-stage';

jest.setTimeout(150_000);

const CALLEE = '+14155550123';
/** Four of the SDK's 15 s heartbeat timeouts. */
const HELD_MS = 60_000;
/** When the SDK's stats monitor raises low-bytes warnings, its cue for an ICE restart, with a margin. */
const MEDIA_WATCHED_MS = 7_000;
/** Long enough for Chromium to call ICE disconnected and the SDK to see no bytes for 3 samples. */
const MEDIA_LOST_MS = 9_000;

let stage: SoftphoneStage<ProvisionedTenant>;

beforeAll(async () => {
  stage = await startSoftphoneStage('long-call', (sandbox, env) =>
    provisionTenant(sandbox, env, { friendlyName: 'Long calls' }),
  );
});

afterAll(async () => {
  await stage?.close();
});

/**
 * Records, in the page, every event the SDK's Call objects emit that says where a call is (not its
 * once-a-second samples and volumes), and the Call objects themselves, as the SDK's own UMD bundle
 * defines them (window.Twilio.Call).
 */
function recordCallEvents(): void {
  const seen: { event: string; args: unknown[] }[] = [];
  const calls: unknown[] = [];
  // `audio` (the remote stream playing) comes whenever the early media does, before or after `accept`.
  const noise = new Set(['sample', 'volume', 'warning', 'warning-cleared', 'audio']);
  Object.assign(window, { callEvents: seen, sdkCalls: calls });
  // The bundle keeps an existing window.Twilio and fills in what it lacks (`Twilio.Call = Twilio.Call ||
  // Voice.Call`): the Call class is caught as it is set.
  let Call: { prototype: { emit(event: string, ...args: unknown[]): boolean } } | undefined;
  const twilio = {};
  Object.defineProperty(twilio, 'Call', {
    configurable: true,
    enumerable: true,
    get: () => Call,
    set(value: NonNullable<typeof Call>) {
      Call = value;
      const emit = value.prototype.emit;
      value.prototype.emit = function (this: unknown, event: string, ...args: unknown[]) {
        if (!calls.includes(this)) calls.push(this);
        if (!noise.has(event)) seen.push({ event, args: event === 'ringing' ? args : [] });
        return emit.call(this, event, ...args);
      };
    },
  });
  Object.assign(window, { Twilio: twilio });
}

const openSoftphone = (identity: string, accountSid: string) =>
  open(stage.browser, {
    ...stage.softphone(identity, accountSid),
    initScripts: [keepPeerConnections, recordCallEvents],
  });

const callEvents = (page: Page) =>
  page.evaluate(() => (window as unknown as { callEvents: { event: string; args: unknown[] }[] }).callEvents);

/** What the edge did with the calls of an account (its `GET /__sandbox/voice-edge` log). */
const edgeEventsOf = (accountSid: string) => {
  const sids = new Set(
    stage.sandbox.state.calls.filter((call) => call.accountSid === accountSid).map((call) => call.sid),
  );
  return (stage.sandbox.voiceEdge?.events ?? [])
    .filter(({ callSid }) => sids.has(callSid ?? ''))
    .map(({ event }) => event);
};

// The two calls are of two tenants and two pages, and share nothing but the stage: the second runs
// while the first is held (test.concurrent, after beforeAll as any test), instead of after its minute.
it.concurrent(
  'holds a call 60 s with audio to the end, through an ICE restart and a dropped signalling socket',
  async () => {
    const { page, errors } = await openSoftphone('alice', stage.prepared.sid);
    const started = Date.now();
    await callNumber(page, CALLEE);

    // A user-defined message is acknowledged by the gateway: the SDK says messageSent.
    await page.evaluate(() => {
      const [call] = (window as unknown as { sdkCalls: { sendMessage(message: object): string }[] }).sdkCalls;
      call?.sendMessage({ content: { hello: 'edge' }, messageType: 'user-defined-message' });
    });

    // Once the SDK's stats monitor watches the call (5 s in: call.ts METRICS_DELAY), the media path drops
    // for a few seconds, both ways, as on a Wi-Fi blip: the browser's ICE disconnects with no audio
    // coming in, the SDK restarts ICE (rtc/peerconnection.ts iceRestart: a `reinvite` with new ICE
    // credentials), the edge answers from a restarted ICE agent, and the audio comes back.
    await new Promise((resolve) => setTimeout(resolve, MEDIA_WATCHED_MS));
    expect(stage.sandbox.voiceEdge?.interruptMedia(stage.prepared.sid, 'alice', MEDIA_LOST_MS)).toBe(1);
    await page.getByRole('heading', { name: 'Reconnecting' }).waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { name: 'In call' }).waitFor({ timeout: 20_000 });
    const afterRestart = await audioPacketsOver(page, 2_000);
    expect(afterRestart.sent).toBeGreaterThan(40);
    expect(afterRestart.received).toBeGreaterThan(40);

    // Halfway, the signalling socket is cut as a network blip would cut it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, HELD_MS / 2 - (Date.now() - started))));
    expect(stage.sandbox.voiceEdge?.dropConnections(stage.prepared.sid, 'alice')).toBe(1);
    await page.getByRole('heading', { name: 'Reconnecting' }).waitFor({ timeout: 10_000 });
    await page.getByRole('heading', { name: 'In call' }).waitFor({ timeout: 20_000 });

    // Held until 60 s, the last 10 s counted: audio still flows both ways (PCMU: 50 packets a second).
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, HELD_MS - 10_000 - (Date.now() - started))),
    );
    const lastTen = await audioPacketsOver(page, 10_000);
    expect(lastTen.sent).toBeGreaterThan(200);
    expect(lastTen.received).toBeGreaterThan(200);
    await expect(page.getByRole('heading', { name: 'In call' }).isVisible()).resolves.toBe(true);
    const parent = stage.sandbox.state.calls.find(
      (call) => call.accountSid === stage.prepared.sid && call.direction === 'inbound',
    );
    expect(parent?.status).toBe('in-progress');

    await hangUp(page, CALLEE);
    // The SDK's own events for the call, in order, as Twilio's gateway gives them for a
    // <Dial answerOnBridge="true">: ringing with early media, accepted, the message acknowledged, the
    // media lost and restored by an ICE restart, the socket lost and the call resumed on a new one, then
    // ended.
    const events = (await callEvents(page)).filter(({ event }) => event !== 'transportClose');
    expect(events).toEqual([
      { event: 'ringing', args: [true] },
      { event: 'accept', args: [] },
      { event: 'messageSent', args: [] },
      { event: 'reconnecting', args: [] },
      { event: 'reconnected', args: [] },
      { event: 'reconnecting', args: [] },
      { event: 'reconnected', args: [] },
      { event: 'disconnect', args: [] },
    ]);
    expect(edgeEventsOf(stage.prepared.sid)).toEqual(
      expect.arrayContaining(['ICE restart answered', 'reconnected']),
    );
    // The SDK logs the drop itself (close code 1006, its 31005, transportClose), and nothing else.
    expect(unexpectedErrors(errors).filter((message) => !/1006|31005|transportClose/.test(message))).toEqual(
      [],
    );
    await page.close();
  },
);

it.concurrent('ends a call in the browser when its subaccount is suspended', async () => {
  const suspended = await provisionTenant(stage.sandbox, stage.env, {
    friendlyName: 'Suspended during a call',
  });
  const { page } = await openSoftphone('bob', suspended.sid);
  await callNumber(page, CALLEE);
  const adminKey = (stage.env.ADMIN_API_KEYS ?? '').split(',')[0] ?? '';
  const suspend = () =>
    fetch(`${stage.service.url}/admin/subaccounts/suspend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subaccountSid: suspended.sid }),
    });
  // 202: suspended, with calls still live when its time budget ran out (a busy machine); the same call
  // again ends them, as the answer says.
  let answer = await suspend();
  for (let again = 0; answer.status === 202 && again < 3; again++) answer = await suspend();
  expect(answer.status).toBe(200);
  // Told by the edge (its hangup, not a socket going silent); the bound is for a busy machine.
  await page
    .getByRole('status')
    .filter({ hasText: `Call with ${CALLEE} ended.` })
    .waitFor({ timeout: 15_000 });
  const events = (await callEvents(page)).map(({ event }) => event);
  expect(events).toEqual(['ringing', 'accept', 'disconnect']);
  const legs = stage.sandbox.state.calls.filter((call) => call.accountSid === suspended.sid);
  expect(legs.map((call) => call.status)).toEqual(['completed', 'completed']);
  expect(
    stage.sandbox.voiceEdge?.events.some(
      ({ callSid, event }) => callSid === legs[0]?.sid && event === 'hung up: the call is completed',
    ),
  ).toBe(true);
  await page.close();
});
