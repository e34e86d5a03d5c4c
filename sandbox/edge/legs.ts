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

  constructor(
    readonly callSid: string,
    readonly accountSid: string,
    /** The browser's signalling session; none for a simulated phone. */
    readonly session: SignallingSession | undefined,
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
    this.media?.close();
    this.finish(reason);
  }
}
