/**
 * The front door of a deployment, doing what Twilio's Functions gateway does before and around a
 * Function (https://www.twilio.com/docs/serverless/functions-assets/functions/request-flow):
 * - answers a CORS preflight (OPTIONS) itself, with `*`, as runtime-handler's dev server models it
 *   (node_modules/@twilio/runtime-handler/dist/dev-runtime/server.js);
 * - does not serve `private` Functions or Assets ("library files intended only for access via other
 *   Functions", reachable only through Runtime.getFunctions() and Runtime.getAssets(),
 *   https://www.twilio.com/docs/serverless/functions-assets/visibility; twilio-run start serves private
 *   Functions all the same, twilio-labs/serverless-toolkit#194);
 * - answers 403 to a `protected` Function or Asset without a valid X-Twilio-Signature made with the
 *   service owner's auth token over its public URL, `https://<domain name><path and query>`: a local
 *   request to http://localhost:<port>/x is checked as https://<domain name>/x, the URL Twilio would
 *   have been asked for (the 403 is the sandbox's choice: Twilio's page does not give the status);
 * - refuses every invocation with 82006 while the Function's context is over 3KB;
 * - cuts a Function off after 10 s of execution with 82002, and ends its process (a Function that
 *   blocks its event loop is killed all the same); the next invocation starts a new one;
 * - hands the Function neither the Host it was reached at nor X-Forwarded-* (host.cjs and
 *   runtime-handler's restricted headers), nor the method (runtime-handler's event is query and body).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { CONTEXT_TOO_LARGE, FUNCTION_RESPONSE_ERROR, moreInfo } from './build-errors';
import type { Visibility } from './types';

export interface GatewayRoute {
  kind: 'function' | 'asset';
  sid: string;
  path: string;
  visibility: Visibility;
  /** The SID-named file the route runs or is served from. */
  file: string;
}

/** A Function that ran, and the file it ran from. */
export interface Invocation {
  sid: string;
  path: string;
  file: string;
  count: number;
}

export interface GatewayOptions {
  routes: GatewayRoute[];
  domainName: string;
  /** The service owner's auth token, for `protected` routes. */
  authToken: string;
  /** The size of the context a Function would get at a path, in bytes of JSON. */
  contextBytes(path: string): number;
  contextLimitBytes: number;
  executionLimitMs: number;
  /** The port of a running host (host.cjs), started again after a Function was cut off. */
  host(): Promise<number>;
  /** Ends the host, after a Function ran past the limit. */
  killHost(): void;
  port?: number;
}

/** What runtime-handler's body parser accepts (DEFAULT_BODY_SIZE_LAMBDA in its dev server). */
const BODY_LIMIT_BYTES = 6 * 1024 * 1024;

/** Twilio's gateway's preflight answer, as runtime-handler's dev server gives it. */
const PREFLIGHT_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers':
    'Accept, Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, If-Unmodified-Since, User-Agent',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'ETag',
  'access-control-max-age': '86400',
  'access-control-allow-credentials': 'true',
  'content-type': 'text/plain; charset=UTF-8',
  'content-length': '0',
};

export interface Gateway {
  url: string;
  invocations(): Invocation[];
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const routes = new Map(options.routes.map((route) => [route.path, route]));
  const invocations = new Map<string, Invocation>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) answerError(res, 502, FUNCTION_RESPONSE_ERROR, 'The Function did not answer.');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const route = routes.get(url.pathname);
    if (!route || route.visibility === 'private') {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Could not find requested resource');
      return;
    }
    if (req.method === 'OPTIONS') {
      req.resume();
      res.writeHead(204, PREFLIGHT_HEADERS).end();
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'text/plain' }).end('Request body too large');
      return;
    }
    if (route.visibility === 'protected' && !signedByOwner(req, url, body)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Unauthorized: invalid X-Twilio-Signature');
      return;
    }
    if (route.kind === 'function') {
      const bytes = options.contextBytes(route.path);
      if (bytes > options.contextLimitBytes) {
        answerError(
          res,
          500,
          CONTEXT_TOO_LARGE,
          `Environment Context too large: ${bytes} bytes of context (account, domain name, path and Variables as JSON) exceed ${options.contextLimitBytes}.`,
        );
        return;
      }
      const seen = invocations.get(route.sid) ?? {
        sid: route.sid,
        path: route.path,
        file: route.file,
        count: 0,
      };
      seen.count += 1;
      invocations.set(route.sid, seen);
    }
    await forward(req, res, body, route.kind === 'function' ? options.executionLimitMs : undefined);
  }

  function signedByOwner(req: IncomingMessage, url: URL, body: Buffer): boolean {
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature !== 'string') return false;
    const publicUrl = `https://${options.domainName}${url.pathname}${url.search}`;
    if (url.searchParams.has('bodySHA256'))
      return twilio.validateRequestWithBody(options.authToken, signature, publicUrl, body.toString('utf8'));
    const form = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
    const params = form ? Object.fromEntries(new URLSearchParams(body.toString('utf8'))) : {};
    return twilio.validateRequest(options.authToken, signature, publicUrl, params);
  }

  async function forward(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    limitMs: number | undefined,
  ): Promise<void> {
    const port = await options.host();
    const headers = { ...req.headers };
    delete headers.host;
    headers['content-length'] = String(body.length);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const upstream = httpRequest(
        { host: '127.0.0.1', port, method: req.method, path: req.url, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => {
            clearTimeout(timer);
            resolve();
          });
        },
      );
      upstream.on('error', () => {
        clearTimeout(timer);
        if (!res.headersSent)
          answerError(res, 502, FUNCTION_RESPONSE_ERROR, 'The Function ended before it answered.');
        resolve();
      });
      if (limitMs !== undefined)
        timer = setTimeout(() => {
          upstream.destroy();
          options.killHost();
          if (!res.headersSent)
            answerError(
              res,
              504,
              FUNCTION_RESPONSE_ERROR,
              `runtime application timed out: the Function ran past ${limitMs} ms and was cut off.`,
            );
          else res.destroy();
          resolve();
        }, limitMs);
      upstream.end(body);
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    invocations: () => [...invocations.values()],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Twilio's error shape: code, message, more_info, status. */
function answerError(res: ServerResponse, status: number, code: number, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ code, message, more_info: moreInfo(code), status }));
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
