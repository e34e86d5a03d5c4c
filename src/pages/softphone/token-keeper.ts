import { requestToken, TokenRequestError, type IssuedToken } from './token-client';

/** How long before expiry the safety-net timer renews: a minute, or half the lifetime of a short token. */
export function renewLeadMs(ttlSeconds: number): number {
  return Math.min(60, ttlSeconds / 2) * 1000;
}

const RETRY_MS = 5000;

export interface TokenKeeperEvents {
  token(token: IssuedToken): void;
  problem(error: TokenRequestError): void;
}

/**
 * Keeps a valid Voice token for as long as the ticket lasts: renews when the SDK says the token will
 * expire (`renew()`), and on its own timer shortly before expiry as a safety net, since the SDK only
 * warns once it is connected to Twilio. Concurrent renewals share one request.
 */
export class TokenKeeper {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<IssuedToken | undefined> | undefined;
  private current: IssuedToken | undefined;

  constructor(
    private ticket: string,
    private readonly ttl: number | undefined,
    private readonly on: TokenKeeperEvents,
    /** The origin of the page that sent the ticket by `postMessage`, for /token to check. */
    private embedder?: string,
  ) {}

  get token(): IssuedToken | undefined {
    return this.current;
  }

  useTicket(ticket: string, embedder?: string): void {
    this.ticket = ticket;
    this.embedder = embedder;
  }

  renew(): Promise<IssuedToken | undefined> {
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private async fetch(): Promise<IssuedToken | undefined> {
    try {
      const token = await requestToken(this.ticket, this.ttl, this.embedder);
      this.current = token;
      this.schedule(Date.parse(token.expiresAt) - renewLeadMs(token.ttl));
      this.on.token(token);
      return token;
    } catch (error) {
      const problem =
        error instanceof TokenRequestError ? error : new TokenRequestError('unknown', String(error));
      // Transient trouble: try again soon, as long as the token in hand has not expired.
      if (problem.retryable) this.schedule(Date.now() + RETRY_MS);
      this.on.problem(problem);
      return undefined;
    }
  }

  private schedule(at: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.renew(), Math.max(0, at - Date.now()));
  }
}
