/**
 * The service's voice webhooks on a local HTTP port, each request handed to its Function in-process
 * (invokeFunction), so the sandbox's simulated calls reach the handlers under test with Twilio's own
 * signed requests, without building dist/.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handler as voice } from '../../src/functions/voice';
import { handler as callStatus } from '../../src/functions/voice/call-status';
import { handler as dialStatus } from '../../src/functions/voice/dial-status';
import { handler as recordingStatus } from '../../src/functions/voice/recording-status';
import type { FunctionHandler } from '../../src/http/json-function';
import { invokeFunction } from '../../testkit/function-runtime';

const HANDLERS: Record<string, FunctionHandler> = {
  '/voice': voice,
  '/voice/dial-status': dialStatus,
  '/voice/recording-status': recordingStatus,
  '/voice/call-status': callStatus,
};

export interface InProcessVoice {
  /** The base URL to use as PUBLIC_BASE_URL. */
  url: string;
  /** Every path the sandbox requested, in order. */
  paths: string[];
  /** Sets the service configuration the handlers run with (once PUBLIC_BASE_URL is known). */
  use(env: Record<string, string>): void;
  close(): Promise<void>;
}

export async function startInProcessVoice(): Promise<InProcessVoice> {
  let env: Record<string, string> = {};
  const paths: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://local').pathname;
      paths.push(path);
      const handler = HANDLERS[path];
      if (!handler) {
        response.writeHead(404).end();
        return;
      }
      void invokeFunction(handler, {
        env,
        path,
        body: Object.fromEntries(new URLSearchParams(body)),
        headers: { 'X-Twilio-Signature': String(request.headers['x-twilio-signature'] ?? '') },
      }).then(
        (answer) => response.writeHead(answer.statusCode, { 'content-type': 'text/xml' }).end(answer.text),
        () => response.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    paths,
    use: (next) => {
      env = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
