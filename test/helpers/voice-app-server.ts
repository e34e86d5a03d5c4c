import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

/** One webhook request a test voice app received, as Twilio (the sandbox) sent it. */
export interface ReceivedWebhook {
  path: string;
  signature: string;
  params: Record<string, string>;
}

export interface VoiceAppServer {
  url: string;
  received: ReceivedWebhook[];
  server: Server;
}

/**
 * A voice app of a test's own on a free local port: it keeps every webhook it receives and answers
 * with the TwiML `respond` writes for that path and those parameters.
 */
export async function startVoiceApp(
  respond: (path: string, params: Record<string, string>, twiml: twilio.twiml.VoiceResponse) => void,
): Promise<VoiceAppServer> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      const params = Object.fromEntries(new URLSearchParams(body));
      received.push({ path, signature: String(request.headers['x-twilio-signature']), params });
      const twiml = new twilio.twiml.VoiceResponse();
      respond(path, params, twiml);
      response.writeHead(200, { 'content-type': 'text/xml' }).end(twiml.toString());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}
