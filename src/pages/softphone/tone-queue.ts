/**
 * Keys pressed faster than their tones play. The SDK's Call.sendDigits hands a run of digits to the
 * browser's RTCDTMFSender.insertDTMF, which replaces whatever tones are still waiting
 * (https://developer.mozilla.org/en-US/docs/Web/API/RTCDTMFSender/insertDTMF): a second key pressed
 * while the first still plays would silence the first. So keys wait here and go as one run once the
 * tones before them have played.
 */

/** The SDK's tone and gap (call.ts: DTMF_TONE_DURATION 160 ms, DTMF_INTER_TONE_GAP 70 ms), plus a margin. */
export const TONE_MS = 160 + 70 + 20;

export class ToneQueue {
  private waiting = '';
  private busyUntil = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly send: (digits: string) => void) {}

  push(digit: string): void {
    this.waiting += digit;
    if (!this.timer) this.flushWhenFree();
  }

  /** A new call starts with nothing waiting. */
  reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = '';
    this.busyUntil = 0;
  }

  private flushWhenFree(): void {
    const wait = Math.max(0, this.busyUntil - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const digits = this.waiting;
      this.waiting = '';
      if (!digits) return;
      this.busyUntil = Date.now() + digits.length * TONE_MS;
      this.send(digits);
    }, wait);
  }
}
