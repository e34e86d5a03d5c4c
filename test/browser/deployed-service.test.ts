/**
 * The done-when of the deployed shape: the service deployed with `twilio-run deploy` to the sandbox
 * (`npm start -- --deployed`, shared with the README walk: test/helpers/deployed-start.ts), then what a
 * company does with it: a customer made, an inbound call taken, a browser call through the real Voice
 * SDK, the usage read; all against the Functions served from the deployment, whose record in the
 * sandbox shows the Build Twilio would have made.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import type { Browser } from 'playwright-core';
import { deployedStart } from '../helpers/deployed-start';
import { launchChromium, SCREENSHOTS } from '../../testkit/chromium';
import { callNumber, hangUp, openSoftphone, unexpectedErrors } from '../../testkit/softphone-page';

jest.setTimeout(300_000);

const root = path.resolve(__dirname, '../..');
const CALLEE = '+14155550123';

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

interface ServerlessRecord {
  builds: {
    sid: string;
    status: string;
    dependencies: { name: string; version: string }[];
    runtime: string;
  }[];
  functionVersions: { sid: string; path: string; visibility: string; ranFrom?: string | null }[];
  deployments: { buildSid: string }[];
}

it('serves the deployed service: a customer, an inbound call, a browser call through the Voice SDK, usage', async () => {
  const [deployed, launched] = await Promise.all([
    deployedStart(),
    launchChromium([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--ignore-certificate-errors',
    ]),
  ]);
  browser = launched;
  const env = parse(readFileSync(path.join(deployed.clone, '.env')));
  const service = `http://localhost:${deployed.ports.service}`;
  const sandbox = `http://127.0.0.1:${deployed.ports.sandbox}`;
  const admin = async (operation: string, body: object) => {
    const answer = await fetch(`${service}/admin/${operation}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${(env.ADMIN_API_KEYS ?? '').split(',')[0]}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  };

  const created = await admin('subaccounts/create', {
    friendlyName: 'Deployed Dental',
    areaCode: '415',
    idempotencyKey: 'deployed-dental-1',
  });
  expect(created.status).toBe(201);
  const subaccount = created.body.subaccount as { sid: string; numbers: { phoneNumber: string }[] };
  const number = subaccount.numbers[0]?.phoneNumber as string;
  expect(
    (
      await admin('subaccounts/update', {
        subaccountSid: subaccount.sid,
        inboundRouting: { [number]: ['alice'] },
      })
    ).status,
  ).toBe(200);

  // Twilio's part in a call to the number: the deployed /voice answers with TwiML ringing alice.
  const inbound = await fetch(`${sandbox}/__sandbox/calls/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: number, from: '+14155550100' }),
  });
  const call = (await inbound.json()) as { url: string; status: number; twiml: string };
  expect([call.url, call.status]).toEqual([`${service}/voice`, 200]);
  expect(call.twiml).toMatch(/<Client>\s*<Identity>alice<\/Identity>/);

  // A browser call from alice's softphone, served as a deployed asset, through the real SDK.
  const { page, errors } = await openSoftphone(launched, {
    serviceUrl: service,
    ticketSecret: env.TOKEN_TICKET_SECRET ?? '',
    identity: 'alice',
    accountSid: subaccount.sid,
  });
  await callNumber(page, CALLEE);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'deployed-service-call.png'), fullPage: true });
  await hangUp(page, CALLEE);
  expect(unexpectedErrors(errors)).toEqual([]);

  const today = new Date().toISOString().slice(0, 10);
  const usage = await admin('usage', { subaccountSid: subaccount.sid, startDate: today, endDate: today });
  expect(usage.status).toBe(200);

  // The sandbox's record: a completed Build of exactly package.json's dependencies, its Functions run
  // from files named by their SIDs.
  const record = (await (await fetch(`${sandbox}/__sandbox/serverless`)).json()) as ServerlessRecord;
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const deployedBuild = record.builds.find((build) => build.sid === record.deployments.at(-1)?.buildSid);
  expect(deployedBuild).toMatchObject({ status: 'completed', runtime: 'node22' });
  expect(
    Object.fromEntries((deployedBuild?.dependencies ?? []).map(({ name, version }) => [name, version])),
  ).toEqual(pkg.dependencies);
  for (const route of ['/voice', '/token', '/admin/subaccounts/create', '/admin/usage']) {
    const version = record.functionVersions.find((candidate) => candidate.path === route);
    expect([route, version?.ranFrom]).toEqual([
      route,
      expect.stringMatching(new RegExp(`/${version?.sid}\\.js$`)),
    ]);
  }
});
