/**
 * The Voice SDK's call-quality warnings ('warning' and 'warning-cleared' events on a Call) in the words
 * of the person on the call. Names are the SDK's (call.ts: WARNING_PREFIXES + WARNING_NAMES, and
 * 'ice-connectivity-lost'); Twilio lists them, with what triggers each (e.g. high-rtt: RTT over 400 ms
 * in 3 of the last 5 samples), at https://www.twilio.com/docs/voice/insights/call-quality-events-twilio-client-sdk.
 * The words are ours; that page does not say what a caller should be told.
 */
const WORDS: Record<string, string> = {
  'high-rtt': 'Sound is delayed: the connection is slow.',
  'low-mos': 'Call quality is poor.',
  'high-jitter': 'Sound may break up: the connection is unsteady.',
  'high-packet-loss': 'Sound may break up: parts of the audio are being lost.',
  'high-packets-lost-fraction': 'Sound may break up: parts of the audio are being lost.',
  'low-bytes-received': 'No sound is arriving from the other side.',
  'low-bytes-sent': 'Your microphone is not sending any sound.',
  'constant-audio-input-level': 'Your microphone seems silent: check it is not muted or unplugged.',
  'constant-audio-output-level': 'No sound is playing from the other side.',
  'ice-connectivity-lost': 'The connection was lost; trying to get it back.',
};

export function qualityWords(name: string): string {
  return WORDS[name] ?? `Call quality warning (${name}).`;
}

/** The warnings a call has now, in the order they came; one sentence each, repeated once. */
export class QualityWarnings {
  private readonly active = new Map<string, string>();

  raise(name: string): void {
    this.active.set(name, qualityWords(name));
  }

  clear(name: string): void {
    this.active.delete(name);
  }

  reset(): void {
    this.active.clear();
  }

  sentences(): string[] {
    return [...new Set(this.active.values())];
  }
}
