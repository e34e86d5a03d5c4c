/**
 * What a call's media looks like from inside the page, as the Voice SDK sees it: the page's
 * RTCPeerConnections kept as they are made, and their audio byte counts from getStats().
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

/** Audio bytes of the page's newest peer connection, both ways, as getStats() reports them. */
function audioBytes(page: Page): Promise<{ sent: number; received: number }> {
  return page.evaluate(async () => {
    const kept = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
    const pc = kept[kept.length - 1];
    let sent = 0;
    let received = 0;
    (await pc?.getStats())?.forEach(
      (report: { type: string; kind?: string; bytesSent?: number; bytesReceived?: number }) => {
        if (report.type === 'outbound-rtp' && report.kind === 'audio') sent += report.bytesSent ?? 0;
        if (report.type === 'inbound-rtp' && report.kind === 'audio') received += report.bytesReceived ?? 0;
      },
    );
    return { sent, received };
  });
}

/** Both byte counts grow by more than a second of PCMU (8000 bytes) while the test watches. */
export async function expectAudioBothWays(page: Page): Promise<void> {
  const first = await audioBytes(page);
  const deadline = Date.now() + 15_000;
  let now = first;
  while (now.sent < first.sent + 8000 || now.received < first.received + 8000) {
    if (Date.now() > deadline)
      throw new Error(`Audio did not flow both ways: ${JSON.stringify({ first, now })}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    now = await audioBytes(page);
  }
}

/** Audio packets of the page's newest peer connection, both ways, as getStats() reports them. */
function audioPackets(page: Page): Promise<{ sent: number; received: number }> {
  return page.evaluate(async () => {
    const kept = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
    const pc = kept[kept.length - 1];
    let sent = 0;
    let received = 0;
    (await pc?.getStats())?.forEach(
      (report: { type: string; kind?: string; packetsSent?: number; packetsReceived?: number }) => {
        if (report.type === 'outbound-rtp' && report.kind === 'audio') sent += report.packetsSent ?? 0;
        if (report.type === 'inbound-rtp' && report.kind === 'audio') received += report.packetsReceived ?? 0;
      },
    );
    return { sent, received };
  });
}

/** Audio packets sent and received over the next `ms`, counted from the page's getStats(). */
export async function audioPacketsOver(page: Page, ms: number): Promise<{ sent: number; received: number }> {
  const first = await audioPackets(page);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const last = await audioPackets(page);
  return { sent: last.sent - first.sent, received: last.received - first.received };
}
