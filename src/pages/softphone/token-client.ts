import type { IssuedToken } from '../../tokens/issue-token';

/** What POST /token answers (docs/tickets.md); the type only, the page bundles no server code. */
export type { IssuedToken };

/** A refusal or failure of /token, with the service's code and a sentence for the person at the phone. */
export class TokenRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** Whether asking again with the same ticket can work (network trouble, a busy service). */
  get retryable(): boolean {
    return this.code === 'network' || this.code.startsWith('http_5') || this.code === 'internal_error';
  }
}

const EXPLANATIONS: Record<string, string> = {
  ticket_missing: 'You are not signed in to the phone yet.',
  ticket_expired: 'Your sign-in has expired. Reload the page, or sign in again.',
  ticket_not_yet_valid: 'Your sign-in is not valid yet: the clock of this computer or of the server is off.',
  ticket_invalid: 'This sign-in is not valid. Reload the page, or ask your administrator.',
  subaccount_unknown: 'Your company account is not set up for calling. Ask your administrator.',
  subaccount_suspended: 'Calling is suspended for your company account. Ask your administrator.',
  subaccount_closed: 'Your company account has been closed; calling is no longer possible.',
  subaccount_not_ready:
    'Your company account is not completely set up for calling yet. Ask your administrator.',
  subaccount_not_active: 'Calling is not available for your company account. Ask your administrator.',
  origin_not_allowed: 'This page is not allowed to use the phone service. Ask your administrator.',
  embedder_not_allowed:
    "The page this phone is shown in may not sign it in. Open the phone from your company's own application.",
  invalid_parameter: 'The phone page sent a request the service did not accept.',
  network: 'The phone service cannot be reached. Check your internet connection; retrying shortly.',
};

function explain(code: string): string {
  return EXPLANATIONS[code] ?? 'The phone service had a problem; retrying shortly.';
}

/**
 * Trades a ticket for a Voice access token at the service's /token (same origin as this page).
 * `embedder`: the origin of the page that sent the ticket by `postMessage`, which /token holds to
 * ALLOWED_ORIGINS (embedder_not_allowed otherwise).
 */
export async function requestToken(ticket: string, ttl?: number, embedder?: string): Promise<IssuedToken> {
  let response: Response;
  try {
    response = await fetch(new URL('token', window.location.href), {
      method: 'POST',
      headers: { Authorization: `Bearer ${ticket}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...(ttl ? { ttl } : {}), ...(embedder ? { embedder } : {}) }),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new TokenRequestError('network', explain('network'));
  }
  const body = (await response.json().catch(() => undefined)) as
    (IssuedToken & { error?: { code?: string } }) | undefined;
  if (!response.ok || !body?.token) {
    const code = body?.error?.code ?? `http_${response.status}`;
    throw new TokenRequestError(code, explain(code));
  }
  return body;
}
