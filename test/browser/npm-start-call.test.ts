/**
 * `npm start` on a fresh clone, then what a person does with no Twilio account: a customer made through
 * the admin API with the key `npm start` printed, the softphone opened with a test ticket, a call to a
 * number, and the callee's echo heard (audio both ways through the sandbox's calling edge).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import type { Browser } from 'playwright-core';
import { freshClone, npmStart, stop, type Started } from '../helpers/npm-start';
import { freePort } from '../../testkit/twilio-run-server';
import { expectAudioBothWays, keepPeerConnections } from '../../testkit/call-media';
import { launchChromium, SCREENSHOTS } from '../../testkit/chromium';
import { callNumber, hangUp, openSoftphone, unexpectedErrors } from '../../testkit/softphone-page';

jest.setTimeout(180_000);

const CALLEE = '+14155550123';

let started: Started | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  if (started) await stop(started);
});

it('lets a person call a number from the softphone of `npm start` and hear the echo', async () => {
  const clone = freshClone();
  const ports = { service: await freePort(), sandbox: await freePort() };
  [started, browser] = await Promise.all([
    npmStart(clone, ports),
    launchChromium([
      '--use-fake-device-for-media-stream',
      // No certificate flag: the softphone of `npm start` reaches its calling edge as a stock browser does.
      '--use-fake-ui-for-media-stream',
    ]),
  ]);
  const env = parse(readFileSync(path.join(clone, '.env')));
  const service = `http://localhost:${ports.service}`;
  const created = await fetch(`${service}/admin/subaccounts/create`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${(env.ADMIN_API_KEYS ?? '').split(',')[0]}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ friendlyName: 'Echo Test', areaCode: '415', idempotencyKey: 'echo-test-1' }),
  });
  expect(created.status).toBe(201);
  const { subaccount } = (await created.json()) as { subaccount: { sid: string } };

  const { page, errors } = await openSoftphone(browser, {
    serviceUrl: service,
    ticketSecret: env.TOKEN_TICKET_SECRET ?? '',
    identity: 'alice',
    accountSid: subaccount.sid,
    initScripts: [keepPeerConnections],
  });
  await callNumber(page, CALLEE);
  await expectAudioBothWays(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'npm-start-call-echo.png'), fullPage: true });
  await hangUp(page, CALLEE);
  // Only the SDK's ringtones from Twilio's own site fail to load: nothing here reaches the network.
  expect(unexpectedErrors(errors)).toEqual([]);
});
