import { DigitCollector, parseTelephoneEvent } from '../../../sandbox/edge/telephone-event';

/** An RFC 4733 payload: event, E bit and volume, duration. */
const payload = (event: number, end: boolean) => Buffer.from([event, (end ? 0x80 : 0) | 10, 0x03, 0x20]);

describe('DTMF received as RFC 4733 telephone-events', () => {
  it('reads digits, * and # from their event codes', () => {
    expect(parseTelephoneEvent(payload(5, false))).toEqual({ digit: '5', end: false });
    expect(parseTelephoneEvent(payload(10, true))).toEqual({ digit: '*', end: true });
    expect(parseTelephoneEvent(payload(11, true))).toEqual({ digit: '#', end: true });
    expect(parseTelephoneEvent(payload(99, true))).toBeNull();
    expect(parseTelephoneEvent(Buffer.from([1]))).toBeNull();
  });

  it('counts a tone once, at its first end packet, though the end is sent three times', () => {
    const digits: string[] = [];
    const collector = new DigitCollector((digit) => digits.push(digit));
    for (const [timestamp, event, end] of [
      [1000, 1, false],
      [1000, 1, true],
      [1000, 1, true],
      [1000, 1, true],
      [2000, 11, false],
      [2000, 11, true],
      [2000, 11, true],
    ] as const)
      collector.receive(timestamp, payload(event, end));
    expect(digits).toEqual(['1', '#']);
  });
});
