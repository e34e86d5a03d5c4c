import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import createDebug from 'debug';
import { CertificateAuthority } from './certificate-authority';

const debug = createDebug('twilio-sandbox:proxy');

/** The hosts the proxy answers for: Twilio's API hosts, and nothing else (there is no outside network). */
const TWILIO_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.twilio\.com$/;

export interface TwilioProxyOptions {
  /** The sandbox's base URL, where every request is forwarded with its host as `X-Twilio-Host`. */
  target: string;
  host?: string;
}

/**
 * A local HTTP proxy that stands where Twilio's hosts are for a client that cannot be given a base URL
 * (twilio-run deploy builds `https://serverless.twilio.com` itself, and reaches it through `HTTP_PROXY`
 * with a CONNECT tunnel: @twilio-labs/serverless-api client.js createGotClient, hpagent's
 * HttpsProxyAgent). A tunnel to `<host>.twilio.com:443` is answered here: TLS ends with a certificate
 * of a CA made at start (trusted through NODE_EXTRA_CA_CERTS), and each request inside is forwarded to
 * the sandbox with `X-Twilio-Host: <host>`, as TWILIO_API_BASE_URL requests arrive. Any other tunnel
 * or plain request is refused with 403, and remembered in `refused`.
 */
export class TwilioProxy {
  /** `http://127.0.0.1:<port>`: the value of HTTP_PROXY / HTTPS_PROXY. */
  url = '';
  /** What was refused, as `CONNECT host:port` or `METHOD url`. */
  readonly refused: string[] = [];
  private readonly server: Server;
  /** Serves the requests that arrive inside the tunnels; it listens on no port of its own. */
  private readonly inner: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly options: TwilioProxyOptions,
    readonly authority: CertificateAuthority,
  ) {
    this.server = createServer((request, response) =>
      this.refuse(`${request.method} ${request.url}`, response),
    );
    this.server.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => {
      void this.tunnel(request, socket, head);
    });
    this.server.on('connection', (socket: Socket) => this.track(socket));
    this.inner = createServer((request, response) => this.forward(request, response));
  }

  static async start(options: TwilioProxyOptions): Promise<TwilioProxy> {
    const proxy = new TwilioProxy(options, await CertificateAuthority.create());
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, options.host ?? '127.0.0.1', resolve);
    });
    const { address, port } = proxy.server.address() as AddressInfo;
    proxy.url = `http://${address}:${port}`;
    return proxy;
  }

  /** The environment a child process needs to reach the sandbox through this proxy. */
  env(): Record<string, string> {
    return {
      HTTP_PROXY: this.url,
      HTTPS_PROXY: this.url,
      NODE_EXTRA_CA_CERTS: this.authority.certFile,
    };
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private refuse(what: string, response: ServerResponse): void {
    debug('refused %s', what);
    this.refused.push(what);
    response
      .writeHead(403, { 'content-type': 'text/plain' })
      .end('The sandbox proxy only reaches *.twilio.com\n');
  }

  private async tunnel(request: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const target = request.url ?? '';
    const [host = '', port = ''] = target.split(':');
    if (!TWILIO_HOST.test(host.toLowerCase()) || port !== '443') {
      debug('refused CONNECT %s', target);
      this.refused.push(`CONNECT ${target}`);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    try {
      const secureContext = await this.authority.contextFor(host.toLowerCase());
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) socket.unshift(head);
      const tls = new TLSSocket(socket, { isServer: true, secureContext });
      tls.on('error', (error) => debug('TLS with %s: %s', host, error.message));
      this.track(tls);
      this.inner.emit('connection', tls);
    } catch (error) {
      debug('tunnel to %s failed: %O', host, error);
      socket.destroy();
    }
  }

  private forward(request: IncomingMessage, response: ServerResponse): void {
    const host = String(request.headers.host ?? '')
      .split(':')[0]
      ?.toLowerCase();
    if (!host || !TWILIO_HOST.test(host)) {
      this.refuse(`${request.method} ${request.url}`, response);
      return;
    }
    const target = new URL(request.url ?? '/', this.options.target);
    const upstream = httpRequest(
      target,
      {
        method: request.method,
        headers: { ...request.headers, host: target.host, 'x-twilio-host': host },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      debug('forwarding to the sandbox failed: %s', error.message);
      if (!response.headersSent) response.writeHead(502).end();
      else response.destroy();
    });
    request.pipe(upstream);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.authority.dispose();
  }
}
