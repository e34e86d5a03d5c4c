/**
 * Where the page gets its ticket, never from the query string (which servers log):
 * - the URL fragment `#ticket=...` (never sent to a server), removed from the address bar once read;
 * - a `postMessage({ type: 'softphone:ticket', ticket })` from the page that embeds this one, passed on
 *   with the sender's origin (`MessageEvent.origin`, set by the browser), which /token holds to
 *   ALLOWED_ORIGINS: a site framing the phone cannot sign it in (docs/tickets.md);
 * - pasted into the sign-in form, for demos.
 * The fragment may also carry `ttl=<seconds>` to ask for shorter tokens (demos and tests).
 */
export interface FragmentSettings {
  ticket?: string;
  ttl?: number;
}

export function readFragment(): FragmentSettings {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const ticket = fragment.get('ticket')?.trim() || undefined;
  const ttl = Number(fragment.get('ttl')) || undefined;
  if (ticket) {
    // Out of the address bar and history, so it is not bookmarked, shared or shown over a shoulder.
    window.history.replaceState(null, '', window.location.pathname);
  }
  return { ticket, ttl };
}

/** Tells the embedding page the phone wants a ticket (at start, and when the last one expired). */
export function askEmbedderForTicket(reason: 'start' | 'ticket_expired'): void {
  if (window.parent !== window) window.parent.postMessage({ type: 'softphone:ready', reason }, '*');
}

/** Calls `receive` with each ticket the embedding page sends, and that page's origin. */
export function listenForTickets(receive: (ticket: string, origin: string) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== window.parent || window.parent === window) return;
    const data = event.data as { type?: unknown; ticket?: unknown } | null;
    if (data?.type === 'softphone:ticket' && typeof data.ticket === 'string' && data.ticket) {
      receive(data.ticket, event.origin);
    }
  });
}
