/**
 * DTMF as the Voice SDK sends it: Call.sendDigits() uses the browser's RTCDTMFSender, which sends RFC 4733
 * telephone-events in the audio RTP stream (https://www.rfc-editor.org/rfc/rfc4733#section-2.3). Each
 * tone is several packets of one event with the same RTP timestamp, the last three carrying the E (end)
 * bit; a digit counts once, at its first end packet.
 */

/** RFC 4733 section 3.2: events 0-9 are the digits, 10 is *, 11 is #, 12-15 are A-D. */
const EVENT_DIGITS = '0123456789*#ABCD';

export interface TelephoneEvent {
  digit: string;
  end: boolean;
}

/** The event in one telephone-event payload (4 bytes: event, E|R|volume, duration), or null if not DTMF. */
export function parseTelephoneEvent(payload: Buffer): TelephoneEvent | null {
  if (payload.length < 4) return null;
  const digit = EVENT_DIGITS[payload[0] as number];
  if (!digit) return null;
  return { digit, end: ((payload[1] as number) & 0x80) !== 0 };
}

/** Turns the packets of a telephone-event stream into digits, each reported once. */
export class DigitCollector {
  private lastEnded: number | undefined;

  constructor(private readonly onDigit: (digit: string) => void) {}

  receive(timestamp: number, payload: Buffer): void {
    const event = parseTelephoneEvent(payload);
    if (!event?.end || timestamp === this.lastEnded) return;
    this.lastEnded = timestamp;
    this.onDigit(event.digit);
  }
}
