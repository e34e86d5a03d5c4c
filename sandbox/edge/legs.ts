import { randomUUID } from 'node:crypto';
import type { MediaPeer } from './media-peer';
import type { SignallingSession } from './signalling';

/** Why a leg ended, as far as the rest of the call cares. */
export type LegEnd = 'hangup' | 'rejected' | 'canceled' | 'gone';

/** One party of a call as the edge sees it: a browser over signalling and WebRTC, or a simulated phone. */
export class Leg {
  isEnded = false;
  readonly ended: Promise<LegEnd>;
  private finish!: (reason: LegEnd) => void;
  /** Set while the leg rings: what to do with the browser's `answer`. */
  onAnswer: ((sdp: string) => void) | undefined;
  onReject: (() => void) | undefined;
  /**
   * Given to the browser in `answer` (outgoing) or `invite` (incoming) as `reconnect`: an `invite`
   * carrying it on a new socket resumes this leg (call.ts _onConnected, pstream.ts reconnect).
   */
  readonly reconnectToken = randomUUID();
  /** The browser holds the token: the leg may outlive a dropped socket. */
  resumable = false;
  /** Cancels the end of a leg whose socket dropped, once the browser resumed it. */
  stopWaitingForReconnect: (() => void) | undefined;

  constructor(
    readonly callSid: string,
    readonly accountSid: string,
    /** The browser's signalling session (the newest, after a reconnection); none for a simulated phone. */
    public session: SignallingSession | undefined,
    readonly media: MediaPeer | undefined,
  ) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
  }

  /** Resolves after `ms`, or sooner if the leg ends meanwhile. */
  async wait(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, ms))), this.ended]);
    clearTimeout(timer);
  }

  /** Ends the leg from the far side: the browser is told (hangup, or cancel while it rings). */
  hangUp(how: 'hangup' | 'cancel' = 'hangup', error?: { code: number; message: string }): void {
    if (this.isEnded) return;
    this.session?.send(how, { callsid: this.callSid, ...(error ? { error } : {}) });
    this.end(how === 'cancel' ? 'canceled' : 'hangup');
  }

  /** The leg is over (the browser hung up, or the far side did): media stops. */
  end(reason: LegEnd): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.stopWaitingForReconnect?.();
    this.media?.close();
    this.finish(reason);
  }
}
