/**
 * The one client of the admin API, for the admin console (in the browser) and the admin CLI (in Node):
 * each call names a route of the route table and gets that route's parameter and answer types, so a
 * change to an answer breaks the compiler where the answer is read. Types only come from the route
 * table: nothing of the server is bundled into a page.
 */
import type { AdminAnswerBody, AdminParameters, AdminPath, AdminTextPath } from '../admin/routes';

/** A call the service (or the way to it) refused: its error code, its message for people, the status. */
export class AdminRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The answer as it came, for callers that show it whole (the CLI's --json). */
    readonly body?: unknown,
    /** The answer's `Retry-After` header in seconds (a 503 while Twilio is rate limiting), if any. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AdminRefusal';
  }

  /** The error body's fields besides code and message, e.g. what a create that stopped part-way made. */
  get details(): Record<string, unknown> {
    const error = (this.body as { error?: unknown } | null | undefined)?.error;
    if (typeof error !== 'object' || error === null) return {};
    const { code: _code, message: _message, ...details } = error as Record<string, unknown>;
    return details;
  }
}

export interface AdminClientOptions {
  /** Where the service is, e.g. `https://voice-1234.twil.io`; routes are paths under it. */
  baseUrl: string;
  /** The admin key, read at each call (a console tab may forget it meanwhile). */
  adminKey: () => string;
  /** More fetch options, e.g. no cache and no cookies in the browser. */
  init?: Omit<RequestInit, 'method' | 'headers' | 'body'>;
}

export type AdminCall = <P extends AdminPath>(
  path: P,
  parameters: AdminParameters<P>,
) => Promise<AdminAnswerBody<P>>;

export function adminClient(options: AdminClientOptions): AdminCall {
  return async <P extends AdminPath>(path: P, parameters: AdminParameters<P>) => {
    const response = await post(options, path, parameters);
    const body = jsonOrText(await response.text());
    const error = errorOf(body);
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    const wait = Number.isFinite(retryAfter) ? retryAfter : undefined;
    if (error) throw new AdminRefusal(response.status, error.code, error.message, body, wait);
    // Not the service's error shape (a proxy's error page, say): refused in the status's words.
    if (!response.ok && (typeof body !== 'object' || body === null)) {
      throw new AdminRefusal(
        response.status,
        `http_${response.status}`,
        `The service answered ${response.status}.`,
        body,
      );
    }
    // Described answers, 503 of /admin/health included (a degraded report, not an error).
    return body as AdminAnswerBody<P>;
  };
}

/** A route's answer as text (the usage CSV), with the cursor of the next page when there is one. */
export interface AdminText {
  text: string;
  /** The name the service gives the file (Content-Disposition), e.g. `usage-2026-11-01-to-2026-11-30.csv`. */
  filename: string | null;
  nextCursor: string | null;
}

export type AdminTextCall = <P extends AdminTextPath>(
  path: P,
  parameters: AdminParameters<P>,
) => Promise<AdminText>;

/** The client for text answers: the same call, refusals read from the same JSON error shape. */
export function adminTextClient(options: AdminClientOptions): AdminTextCall {
  return async (path, parameters) => {
    const response = await post(options, path, parameters);
    const text = await response.text();
    if (!response.ok || !response.headers.get('Content-Type')?.startsWith('text/')) {
      const body = jsonOrText(text);
      const error = errorOf(body);
      if (error) throw new AdminRefusal(response.status, error.code, error.message, body);
      throw new AdminRefusal(
        response.status,
        `http_${response.status}`,
        `The service answered ${response.status}.`,
        body,
      );
    }
    const disposition = response.headers.get('Content-Disposition') ?? '';
    return {
      text,
      filename: /filename="([^"]+)"/.exec(disposition)?.[1] ?? null,
      nextCursor: response.headers.get('Next-Cursor'),
    };
  };
}

async function post(options: AdminClientOptions, path: AdminPath, parameters: unknown): Promise<Response> {
  const adminKey = options.adminKey();
  try {
    return await fetch(`${options.baseUrl.replace(/\/+$/, '')}${path}`, {
      ...options.init,
      method: 'POST',
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(parameters),
    });
  } catch {
    throw new AdminRefusal(
      0,
      'network',
      'The service cannot be reached. Check the connection and try again.',
    );
  }
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorOf(body: unknown): { code: string; message: string } | undefined {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code !== 'string') return undefined;
  return { code: error.code, message: typeof error.message === 'string' ? error.message : error.code };
}
