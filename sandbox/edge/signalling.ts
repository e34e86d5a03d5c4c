import type { WebSocket } from 'ws';
import type { VerifiedVoiceToken } from '../calls/access-token';

/** The Voice SDK's signalling protocol version (its pstream.ts, PSTREAM_VERSION). */
const PSTREAM_VERSION = '1.6';

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

  constructor(private readonly socket: WebSocket) {}

  send(type: string, payload: Payload): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify({ type, version: PSTREAM_VERSION, payload }));
  }

  fail(error: SignallingError, callsid?: string): void {
    this.send('error', { error, ...(callsid ? { callsid } : {}) });
  }

  /** Whether this session rings for calls to `identity` of `accountSid`. */
  reaches(accountSid: string, identity: string): boolean {
    return this.registered && this.verified?.accountSid === accountSid && this.verified.identity === identity;
  }
}
