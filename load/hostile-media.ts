/**
 * The recording row of `npm run load:hostile` at full size: a recording upstream that answers 300 MiB
 * chunked (no Content-Length) as `text/html`. The link must be refused (413) once 20 MiB have streamed,
 * and the process must not grow by the body. Handlers run in-process against the sandbox; media
 * requests go to a hostile server that passes every other request (the registry in Sync) to the sandbox.
 * Answers the problems found, none when the row holds.
 */
import { createServer } from 'node:http';
import { startSandbox } from '../sandbox';
import { MAX_MEDIA_BYTES } from '../src/admin/recordings/media';
import { signMediaLink } from '../src/admin/recordings/media-link';
import { loadConfig } from '../src/config/config';
import { handler as recordingMedia } from '../src/functions/recording-media';
import { invokeFunction } from '../testkit/function-runtime';
import { provisionTenant, sandboxEnv } from '../testkit/provision-tenant';
import { serviceEnv } from '../testkit/service-env';
import { sidSource } from '../src/vocabulary';

const STREAM_BYTES = 300 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, '<p>not audio</p>');
/** What may go out past the cap before the service hangs up: the sockets' buffers. */
const SLACK_BYTES = 16 * 1024 * 1024;

export async function hostileMediaProblems(): Promise<string[]> {
  const sandbox = await startSandbox();
  let sent = 0;
  const upstream = createServer((request, response) => {
    if (new RegExp(`/Recordings/${sidSource('RE')}\\.wav$`).test(request.url ?? '')) {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      let closed = false;
      response.on('close', () => (closed = true));
      const pump = () => {
        while (sent < STREAM_BYTES && !closed) {
          sent += CHUNK.length;
          if (!response.write(CHUNK)) return void response.once('drain', pump);
        }
        if (!closed) response.end();
      };
      return pump();
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.entries(request.headers).filter(
        ([name]) => !['host', 'content-length', 'connection'].includes(name),
      );
      void fetch(`${sandbox.baseUrl}${request.url}`, {
        method: request.method,
        headers: Object.fromEntries(headers) as Record<string, string>,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      }).then(async (answer) => {
        response.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? '' });
        response.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  try {
    const env = sandboxEnv(sandbox, serviceEnv());
    const tenant = await provisionTenant(sandbox, env);
    env.TWILIO_API_BASE_URL = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
    const link = new URL(signMediaLink(loadConfig(env), tenant.sid, `RE${'0'.repeat(32)}`, new Date()).url);
    const rssBefore = process.memoryUsage().rss;
    const answer = await invokeFunction(recordingMedia, {
      env,
      query: Object.fromEntries(link.searchParams),
    });
    const grown = process.memoryUsage().rss - rssBefore;
    console.error(
      `load:hostile: 300 MiB chunked text/html recording: answered ${answer.statusCode} after ${Math.round(sent / 1048576)} MiB sent; RSS grew ${Math.round(grown / 1048576)} MiB`,
    );
    const problems: string[] = [];
    if (answer.statusCode !== 413)
      problems.push(`the 300 MiB recording was answered ${answer.statusCode}, not 413`);
    if (sent > MAX_MEDIA_BYTES + SLACK_BYTES)
      problems.push(`the recording upstream sent ${sent} bytes before the hang-up`);
    if (grown > MAX_MEDIA_BYTES + SLACK_BYTES * 2) problems.push(`RSS grew ${grown} bytes on one recording`);
    return problems;
  } finally {
    upstream.closeAllConnections();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    await sandbox.close();
  }
}
