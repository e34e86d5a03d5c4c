/**
 * The one client of the admin API, for the admin console (in the browser) and the admin CLI (in Node):
 * each call names a route of the route table and gets that route's parameter and answer types, so a
 * change to an answer breaks the compiler where the answer is read. Types only come from the route
 * table: nothing of the server is bundled into a page.
 */
import type { AdminAnswerBody, AdminParameters, AdminPath } from '../admin/routes';

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
  const base = options.baseUrl.replace(/\/+$/, '');
  return async <P extends AdminPath>(path: P, parameters: AdminParameters<P>) => {
    const adminKey = options.adminKey();
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
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
