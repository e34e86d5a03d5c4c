/**
 * Timing of every Twilio REST request. A Function is killed after 10 s: one request may take at most
 * REQUEST_TIMEOUT_MS, and 429 answers are retried with full-jitter exponential backoff capped at
 * MAX_RETRY_DELAY_MS, so a chain of three sequential requests with retries stays inside the limit.
 * Longer work is paged by the operations themselves (they return a cursor rather than run out of time).
 */
export const REQUEST_TIMEOUT_MS = 2500;
export const MAX_429_RETRIES = 3;
export const MAX_RETRY_DELAY_MS = 800;
/**
 * Connections open at once per Twilio host (api.twilio.com, sync.twilio.com, ...): the `twilio`
 * library's default is 20, below what a `check` sweep keeps in flight (48, admin/check/check.ts,
 * within Twilio's concurrency per account, error 20429); requests past it would wait for a socket
 * inside their REQUEST_TIMEOUT_MS.
 */
export const MAX_SOCKETS_PER_HOST = 50;
/** A read whose connection failed before any answer (a stale kept-alive socket) is sent once more. */
export const MAX_CONNECTION_RETRIES = 1;

/** Header carrying the original Twilio host when requests are redirected to TWILIO_API_BASE_URL. */
export const TWILIO_HOST_HEADER = 'X-Twilio-Host';
