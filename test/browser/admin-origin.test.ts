/**
 * The admin functions against pages of other origins, on dist served by twilio-run (whose dev runtime,
 * like Twilio's gateway, answers every preflight itself with `Access-Control-Allow-Origin: *`): a page
 * elsewhere that holds a valid admin key sends its request from Chromium and creates nothing, the same
 * request over plain HTTP with that Origin gets 403, and the console refuses to run inside a frame.
 * The console working from its own origin is admin-console.test.ts.
 */
import type { Sandbox } from '../../sandbox';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server';
import { adminKeyOf } from '../../testkit/service-env';
import { collectErrors } from '../../testkit/chromium';
import { startPagesService, type PagesService } from './pages-service';

jest.setTimeout(60_000);

let pages: PagesService;
/** The other origin: another port on 127.0.0.1 (the service is at localhost). */
let elsewhere: RecordingServer;
let html = '';

beforeAll(async () => {
  pages = await startPagesService();
  elsewhere = await startRecordingServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(html);
  });
});

afterAll(async () => {
  await elsewhere?.close();
  await pages?.stop();
});

/** Everything the sandbox holds, and how many requests changed it: "created nothing" is checked on both. */
function sandboxWrites(sandbox: Sandbox) {
  return {
    state: JSON.stringify(sandbox.state),
    writes: sandbox.log.filter((request) => request.method !== 'GET').length,
  };
}

const createBody = { friendlyName: 'Made elsewhere', idempotencyKey: 'made-elsewhere-0001' };

it('a page of another origin with a valid admin key creates nothing from Chromium', async () => {
  const target = `${pages.service.url}/admin/subaccounts/create`;
  html = `<!doctype html><title>waiting</title><script>
    fetch(${JSON.stringify(target)}, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + ${JSON.stringify(adminKeyOf(pages.env))}, 'Content-Type': 'application/json' },
      body: ${JSON.stringify(JSON.stringify(createBody))},
    }).then((answer) => { document.title = 'read ' + answer.status; }, () => { document.title = 'not readable'; });
  </script>`;
  const before = sandboxWrites(pages.sandbox);
  const page = await pages.browser.newPage();
  // DevTools sees the answer even where CORS hides it from the page.
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('Network.enable');
  const sent = new Map<string, { method: string; path: string }>();
  const reached: { method: string; status: number }[] = [];
  devtools.on('Network.requestWillBeSent', ({ requestId, request }) =>
    sent.set(requestId, { method: request.method, path: new URL(request.url).pathname }),
  );
  // The raw answer, before CORS decides what the page may read (responseReceived is not sent for
  // an answer CORS blocks).
  devtools.on('Network.responseReceivedExtraInfo', ({ requestId, statusCode }) => {
    const request = sent.get(requestId);
    if (request?.path === '/admin/subaccounts/create')
      reached.push({ method: request.method, status: statusCode });
  });
  const errors = collectErrors(page);
  await page.goto(elsewhere.url);
  await page.waitForFunction(() => document.title !== 'waiting');
  expect(errors.join('\n')).toContain('blocked by CORS policy');
  // The preflight passed (the runtime allows any origin), so the POST itself reached the function,
  // which refused it; the page cannot even read the refusal.
  expect(reached).toContainEqual({ method: 'POST', status: 403 });
  await expect(page.title()).resolves.toBe('not readable');
  expect(sandboxWrites(pages.sandbox)).toEqual(before);
  await page.close();
});

it('the same request over HTTP with that Origin gets 403 origin_not_allowed; without Origin it is served', async () => {
  const before = sandboxWrites(pages.sandbox);
  const headers = {
    Authorization: `Bearer ${adminKeyOf(pages.env)}`,
    'Content-Type': 'application/json',
  };
  const refused = await fetch(`${pages.service.url}/admin/subaccounts/create`, {
    method: 'POST',
    headers: { ...headers, Origin: elsewhere.url },
    body: JSON.stringify(createBody),
  });
  expect(refused.status).toBe(403);
  expect(await refused.json()).toMatchObject({
    error: { code: 'origin_not_allowed', message: expect.stringContaining(elsewhere.url) },
  });
  expect(sandboxWrites(pages.sandbox)).toEqual(before);

  // A server or the CLI sends no Origin: unaffected.
  const served = await fetch(`${pages.service.url}/admin/subaccounts/list`, {
    method: 'POST',
    headers,
    body: '{}',
  });
  expect(served.status).toBe(200);
});

it('the console refuses to run inside a page of another origin', async () => {
  html = `<!doctype html><title>framing</title><iframe id="console" src="${pages.service.url}/admin.html"></iframe>`;
  const page = await pages.browser.newPage();
  const errors = collectErrors(page);
  await page.goto(elsewhere.url);
  const frame = page.frameLocator('#console');
  await frame.getByRole('alert').filter({ hasText: 'cannot be shown inside another page' }).waitFor();
  await expect(frame.getByLabel('Admin key').count()).resolves.toBe(0);
  expect(errors).toEqual([]);
  await page.close();
});
