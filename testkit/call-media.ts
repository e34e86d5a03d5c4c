/**
 * What a call's media looks like from inside the page, as the Voice SDK sees it: the page's
 * RTCPeerConnections kept as they are made, and their audio counts from getStats().
 */
import type { Page } from 'playwright-core';

/** Keeps every RTCPeerConnection the page makes, so the test can read getStats() as the SDK does. */
export function keepPeerConnections(): void {
  const Original = window.RTCPeerConnection;
  const kept: RTCPeerConnection[] = [];
  (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections = kept;
  window.RTCPeerConnection = class extends Original {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      kept.push(this);
    }
  };
}

/** One direction of a call's audio, as the `outbound-rtp` or `inbound-rtp` stats of getStats() count it. */
export interface AudioCount {
  bytes: number;
  packets: number;
}

/** The audio of the page's newest peer connection, both ways, as getStats() reports it. */
export function audioStats(page: Page): Promise<{ sent: AudioCount; received: AudioCount }> {
  return page.evaluate(async () => {
    const kept = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
    const sent = { bytes: 0, packets: 0 };
    const received = { bytes: 0, packets: 0 };
    (await kept[kept.length - 1]?.getStats())?.forEach(
      (report: {
        type: string;
        kind?: string;
        bytesSent?: number;
        bytesReceived?: number;
        packetsSent?: number;
        packetsReceived?: number;
      }) => {
        if (report.kind !== 'audio') return;
        if (report.type === 'outbound-rtp') {
          sent.bytes += report.bytesSent ?? 0;
          sent.packets += report.packetsSent ?? 0;
        }
        if (report.type === 'inbound-rtp') {
          received.bytes += report.bytesReceived ?? 0;
          received.packets += report.packetsReceived ?? 0;
        }
      },
    );
    return { sent, received };
  });
}

/**
 * Both byte counts grow by more than `bytes` while the test watches: by default a second of PCMU (8000
 * bytes, 50 packets of 160); a suite that only needs to see audio flow both ways may ask for less.
 */
export async function expectAudioBothWays(page: Page, { bytes = 8000 } = {}): Promise<void> {
  const first = await audioStats(page);
  const deadline = Date.now() + 15_000;
  let now = first;
  while (now.sent.bytes < first.sent.bytes + bytes || now.received.bytes < first.received.bytes + bytes) {
    if (Date.now() > deadline)
      throw new Error(`Audio did not flow both ways: ${JSON.stringify({ first, now })}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    now = await audioStats(page);
  }
}

/** Audio packets sent and received over the next `ms`, counted from the page's getStats(). */
export async function audioPacketsOver(page: Page, ms: number): Promise<{ sent: number; received: number }> {
  const first = await audioStats(page);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const last = await audioStats(page);
  return {
    sent: last.sent.packets - first.sent.packets,
    received: last.received.packets - first.received.packets,
  };
}
