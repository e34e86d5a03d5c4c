import type { WebSocket } from 'ws';
import type { VerifiedVoiceToken } from '../calls/access-token';

/** The Voice SDK's signalling protocol version (its lib/twilio/pstream.ts, PSTREAM_VERSION). */
const PSTREAM_VERSION = '1.6';

/**
 * The SDK's transport (lib/twilio/wstransport.ts) closes a socket on which nothing arrived for
 * HEARTBEAT_TIMEOUT (15 s) and answers each `\n` heartbeat it receives with one of its own; it never
 * starts one. So the gateway sends `\n` well inside those 15 s, and holds the browser to the same rule:
 * a socket silent (not even echoing) for 15 s is gone. Not confirmed in Twilio's docs: how often
 * Twilio's own gateway sends them; a third of the SDK's timeout lets one heartbeat be late.
 */
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const SILENT_SOCKET_MS = 15_000;

/** The longest signalling reconnection the SDK asks for (pstream.ts, MAX_RECONNECT_TIMEOUT_ALLOWED). */
const MAX_RECONNECT_TIMEOUT_S = 30;

export type Payload = Record<string, unknown>;

/** An error as the gateway sends it, inside `error` messages and `hangup`s. */
export interface SignallingError {
  code: number;
  message: string;
}

/** One browser's signalling connection: the token it listened with, and whether it is registered. */
export class SignallingSession {
  token: string | undefined;
  verified: VerifiedVoiceToken | undefined;
  registered = false;
  /**
   * How long, in seconds, this browser's calls outlive a dropped socket: `reconnectTimeout` of its
   * `listen` (pstream.ts setToken, from the Device's maxCallSignalingTimeoutMs; 0 by default: "Twilio
   * will not terminate the call until the timeout has expired", device.ts).
   */
  reconnectTimeoutS = 0;
  private lastHeardMs = Date.now();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly socket: WebSocket) {
    socket.on('message', () => (this.lastHeardMs = Date.now()));
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_INTERVAL_MS).unref();
    socket.on('close', () => clearInterval(this.heartbeat));
  }

  private beat(): void {
    if (Date.now() - this.lastHeardMs > SILENT_SOCKET_MS) return this.drop();
    if (this.socket.readyState === this.socket.OPEN) this.socket.send('\n');
  }

  /** Asked for by `listen`: at most the SDK's own cap. */
  setReconnectTimeout(seconds: unknown): void {
    const asked = typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : 0;
    this.reconnectTimeoutS = Math.max(0, Math.min(asked, MAX_RECONNECT_TIMEOUT_S));
  }

  send(type: string, payload: Payload): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify({ type, version: PSTREAM_VERSION, payload }));
  }

  fail(error: SignallingError, callsid?: string): void {
    this.send('error', { error, ...(callsid ? { callsid } : {}) });
  }

  /** The connection is cut without a closing handshake, as a network drop would (close code 1006). */
  drop(): void {
    clearInterval(this.heartbeat);
    this.socket.terminate();
  }

  /** Whether this session rings for calls to `identity` of `accountSid`. */
  reaches(accountSid: string, identity: string): boolean {
    return this.registered && this.verified?.accountSid === accountSid && this.verified.identity === identity;
  }
}
