import { QualityWarnings, qualityWords } from '../../src/pages/softphone/quality-warnings';
import { duration, RecentCalls } from '../../src/pages/softphone/recent-calls';
import { TONE_MS, ToneQueue } from '../../src/pages/softphone/tone-queue';

describe('call-quality warnings in words', () => {
  it('says each of the SDK warnings in a sentence, once while it lasts, and drops it when cleared', () => {
    const warnings = new QualityWarnings();
    warnings.raise('high-rtt');
    warnings.raise('high-packet-loss');
    // Two names of one experience are one sentence.
    warnings.raise('high-packets-lost-fraction');
    expect(warnings.sentences()).toEqual([
      'Sound is delayed: the connection is slow.',
      'Sound may break up: parts of the audio are being lost.',
    ]);
    warnings.clear('high-rtt');
    expect(warnings.sentences()).toEqual(['Sound may break up: parts of the audio are being lost.']);
    warnings.reset();
    expect(warnings.sentences()).toEqual([]);
  });

  it('names a warning it has no words for rather than hiding it', () => {
    expect(qualityWords('low-mos')).toBe('Call quality is poor.');
    expect(qualityWords('high-something-new')).toBe('Call quality warning (high-something-new).');
  });
});

describe('recent calls of the session', () => {
  it('lists the newest first, with the length of an answered call and a dash for one never answered', () => {
    const calls = new RecentCalls();
    calls.add({
      who: '+14155550123',
      direction: 'Outgoing',
      answeredAt: 0,
      endedAt: 75_400,
      outcome: 'Answered',
    });
    calls.add({ who: 'carol', direction: 'Incoming', endedAt: 80_000, outcome: 'Missed' });
    expect(calls.list().map((call) => [call.who, duration(call), call.outcome])).toEqual([
      ['carol', '—', 'Missed'],
      ['+14155550123', '1:15', 'Answered'],
    ]);
  });
});

describe('tones of keys pressed quickly', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends keys pressed while a tone plays as one run after it, so none is cut off', () => {
    const sent: string[] = [];
    const tones = new ToneQueue((digits) => sent.push(digits));
    tones.push('1');
    jest.advanceTimersByTime(0);
    tones.push('2');
    tones.push('3');
    jest.advanceTimersByTime(TONE_MS - 1);
    expect(sent).toEqual(['1']);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual(['1', '23']);
  });
});
