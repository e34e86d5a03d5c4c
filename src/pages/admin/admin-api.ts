import { adminKey } from './key-store';

/** A refusal of an admin function: its code, its message (written for people) and the HTTP status. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The rest of the error body, e.g. what a create that stopped part-way made. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * Calls `POST /admin/<path>` (PRODUCT.md) with the tab's admin key and JSON parameters (camelCase),
 * and answers the JSON body; any refusal becomes an AdminApiError with the service's own words.
 */
export async function callAdmin<T = Record<string, unknown>>(
  path: string,
  parameters: Record<string, unknown> = {},
): Promise<T> {
  const key = adminKey.get();
  if (!key) throw new AdminApiError(401, 'no_key', 'Enter the admin key first.');
  let response: Response;
  try {
    response = await fetch(new URL(`admin/${path}`, window.location.href), {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(parameters),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new AdminApiError(
      0,
      'network',
      'The service cannot be reached. Check the connection and try again.',
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    (T & { error?: { code?: string; message?: string } & Record<string, unknown> }) | undefined;
  if (!response.ok) {
    const { code = `http_${response.status}`, message, ...details } = body?.error ?? {};
    throw new AdminApiError(
      response.status,
      code,
      message ?? `The service answered ${response.status}.`,
      details,
    );
  }
  return body as T;
}
