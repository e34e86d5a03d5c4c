/**
 * A recording link against a hostile upstream: the media answer is chunked (no Content-Length), larger
 * than the cap, and says `text/html`. The cap holds on the bytes streamed, the answer is audio of the
 * format asked with `nosniff`, and a link of a subaccount that is not active plays nothing. Small sizes
 * here (just over the 20 MiB cap); `npm run load:hostile` streams 300 MiB.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { handler as getRecording } from '../../../src/functions/admin/recordings/get';
import { handler as recordingMedia } from '../../../src/functions/recording-media';
import { loadConfig } from '../../../src/config/config';
import { MAX_MEDIA_BYTES } from '../../../src/admin/recordings/media';
import { signMediaLink } from '../../../src/admin/recordings/media-link';
import { invokeFunction } from '../../../testkit/function-runtime';
import {
  provisionTenant,
  sandboxEnv,
  updateTenantRecord,
  type ProvisionedTenant,
} from '../../../testkit/provision-tenant';
import { useSandbox } from '../../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../../testkit/service-env';

const sandbox = useSandbox();
let env: Record<string, string>;
let tenant: ProvisionedTenant;
let upstream: Server;
let upstreamUrl: string;
/** What the hostile media answer streams, and how much of it went out before the service hung up. */
let streamBytes = 0;
let sent = 0;
let finished = false;

const CHUNK = Buffer.alloc(64 * 1024, '<p>not audio</p>');

beforeAll(async () => {
  // Media requests get the hostile answer; everything else (the registry in Sync) goes to the sandbox.
  upstream = createServer((request, response) => {
    if (/\/Recordings\/RE[0-9a-f]{32}\.(wav|mp3)$/.test(request.url ?? '')) {
      response.writeHead(200, { 'Content-Type': 'text/html' }); // chunked: no Content-Length
      let closed = false;
      response.on('close', () => {
        closed = true;
      });
      const pump = () => {
        while (sent < streamBytes && !closed) {
          sent += CHUNK.length;
          if (!response.write(CHUNK)) return void response.once('drain', pump);
        }
        if (closed) return;
        finished = true;
        response.end();
      };
      pump();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void fetch(`${sandbox().baseUrl}${request.url}`, {
        method: request.method,
        headers: Object.fromEntries(
          Object.entries(request.headers).filter(
            ([name]) => !['host', 'content-length', 'connection'].includes(name),
          ),
        ) as Record<string, string>,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      }).then(async (answer) => {
        response.writeHead(answer.status, {
          'Content-Type': answer.headers.get('content-type') ?? 'application/json',
        });
        response.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
});

afterAll(
  () =>
    new Promise<void>((resolve) => {
      upstream.closeAllConnections();
      upstream.close(() => resolve());
    }),
);

beforeEach(async () => {
  env = { ...sandboxEnv(sandbox(), serviceEnv()) };
  tenant = await provisionTenant(sandbox(), env);
  env.TWILIO_API_BASE_URL = upstreamUrl;
  sent = 0;
  finished = false;
});

const recordingSid = () => `RE${randomBytes(16).toString('hex')}`;
const play = (format?: 'mp3') => {
  const link = new URL(signMediaLink(loadConfig(env), tenant.sid, recordingSid(), new Date(), format).url);
  return invokeFunction(recordingMedia, { env, query: Object.fromEntries(link.searchParams) });
};

it('a chunked answer past the cap is cut off as it streams (413), never read whole', async () => {
  // An upstream that would stream 1 GiB: the service hangs up soon after the cap.
  streamBytes = 1024 * 1024 * 1024;
  const answer = await play();
  expect(answer.statusCode).toBe(413);
  expect(answer.json<{ error: { code: string } }>().error.code).toBe('media_too_large');
  expect(finished).toBe(false);
  // What went out beyond the cap is what the sockets' buffers held when the service hung up.
  expect(sent).toBeLessThan(MAX_MEDIA_BYTES + 16 * 1024 * 1024);
});

it('whatever type the upstream says, the answer is the audio type asked for, with nosniff', async () => {
  streamBytes = CHUNK.length;
  const wav = await play();
  expect(wav.statusCode).toBe(200);
  expect(wav.headers['Content-Type']).toBe('audio/wav');
  expect(wav.headers['X-Content-Type-Options']).toBe('nosniff');
  const mp3 = await play('mp3');
  expect(mp3.headers['Content-Type']).toBe('audio/mpeg');
  expect(mp3.headers['X-Content-Type-Options']).toBe('nosniff');
});

it('a link of a suspended or closed subaccount plays nothing; recordings/get refuses a closed one', async () => {
  streamBytes = CHUNK.length;
  for (const status of ['suspended', 'closed'] as const) {
    await updateTenantRecord(env, tenant, { status });
    const answer = await play();
    expect(answer.statusCode).toBe(403);
    expect(answer.json<{ error: { code: string } }>().error.code).toBe('subaccount_not_active');
  }
  const got = await invokeFunction(getRecording, {
    env,
    body: { subaccountSid: tenant.sid, recordingSid: recordingSid() },
    headers: { authorization: `Bearer ${adminKeyOf(env)}` },
  });
  expect(got.statusCode).toBe(409);
  expect(got.json<{ error: { code: string } }>().error.code).toBe('subaccount_closed');
});
