import { RTCPeerConnection, RTCRtpCodecParameters, type RtpPacket } from 'werift';
import { DigitCollector } from './telephone-event';

/**
 * Twilio's media side of one call leg, a real WebRTC peer (werift, pure TypeScript). Like Twilio's
 * media servers it is ICE-lite: the SDK sends its offer or answer without candidates (it does not wait
 * for gathering, rtc/peerconnection.ts), so the browser's address is only learnt from its checks.
 * Its candidates are the machine's own interfaces; a loopback candidate is left out on purpose, as
 * Chromium's checks to it succeeded while its DTLS never did.
 */
export interface MediaPeerEvents {
  /** A DTMF digit the browser sent (RFC 4733 telephone-event). */
  digit(digit: string): void;
  /** The browser's media went away (ICE failed or the peer closed). */
  gone(): void;
}

/** What of werift's UDP transport (lib/common/src/transport.js) an interruption replaces. */
interface UdpSocket {
  send(data: Buffer, address: unknown): Promise<void>;
  onData: (data: Buffer, address: unknown) => void;
}

const CODECS = [
  new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
  new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 }),
  new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, payloadType: 126 }),
];

export class MediaPeer {
  private readonly pc = new RTCPeerConnection({
    iceLite: true,
    iceUseIpv6: false,
    codecs: { audio: CODECS },
  });
  private readonly digits: DigitCollector;
  private closed = false;
  bytesReceived = 0;
  /**
   * Whether the browser hears itself when nothing is bridged: not while an outgoing call only rings
   * (early media: Twilio plays a ringback there, the sandbox silence), so that the first audio a bridged
   * browser gets is the other party's.
   */
  echoing = true;

  constructor(events: MediaPeerEvents) {
    this.digits = new DigitCollector((digit) => events.digit(digit));
    const transceiver = this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    transceiver.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) =>
        this.receive(rtp, transceiver.sender.sendRtp.bind(transceiver.sender)),
      );
    });
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'failed' && !this.closed) events.gone();
    });
  }

  /** Chromium offers telephone-event at 8 and 48 kHz; it sends the one of its audio codec's rate. */
  private isTelephoneEvent(payloadType: number): boolean {
    const codecs = this.pc.getTransceivers()[0]?.codecs ?? [];
    return codecs.some(
      (codec) =>
        codec.payloadType === payloadType && codec.mimeType.toLowerCase() === 'audio/telephone-event',
    );
  }

  private receive(rtp: RtpPacket, echo: (packet: RtpPacket) => Promise<void>): void {
    this.bytesReceived += rtp.payload.length;
    if (this.isTelephoneEvent(rtp.header.payloadType)) {
      this.digits.receive(rtp.header.timestamp, rtp.payload);
      return;
    }
    const target = this.forwardTo ?? (this.echoing ? echo : undefined);
    void target?.(rtp).catch(() => undefined);
  }

  /** Set by a bridge: the other leg's sender, so each browser hears the other instead of itself. */
  forwardTo: ((packet: RtpPacket) => Promise<void>) | undefined;

  /** This peer's sender, for the other leg of a bridge. */
  get send(): (packet: RtpPacket) => Promise<void> {
    const sender = this.pc.getTransceivers()[0]?.sender;
    return async (packet) => sender?.sendRtp(packet);
  }

  /** Answers the browser's offer (an outgoing call); the SDP carries this peer's candidates. */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    const answer = await this.pc.createAnswer();
    // DTLS server, the browser its client (setup:passive), the role werift completes with Chromium.
    await this.pc.setLocalDescription({
      type: 'answer',
      sdp: answer.sdp.replace(/a=setup:active/g, 'a=setup:passive'),
    });
    return this.localSdp();
  }

  /**
   * A new offer on a connected peer: the SDK's ICE restart (`reinvite`, rtc/peerconnection.ts
   * iceRestart) with new ICE credentials. werift restarts its ICE agent on them (new ufrag and
   * password, no nominated pair: lib/ice/src/ice.js restart), but its connect() skips a transport whose
   * DTLS is still up, so the agent is started here: it then takes the browser's checks and the pair
   * the browser nominates, and the media goes on over the same DTLS session.
   */
  async renegotiate(offerSdp: string): Promise<string> {
    const restartsBefore = new Map(this.pc.iceTransports.map((ice) => [ice, ice.iceRestarts]));
    const answer = await this.answer(offerSdp);
    for (const ice of this.pc.iceTransports)
      if (ice.iceRestarts !== restartsBefore.get(ice)) void ice.start().catch(() => undefined);
    return answer;
  }

  /**
   * The network between the browser and this peer drops for `ms`: every datagram of the leg (STUN
   * checks and their answers, DTLS, RTP) is lost both ways, as on a Wi-Fi blip.
   */
  interrupt(ms: number): void {
    // werift keeps each ICE connection's sockets private (lib/ice/src/ice.js `protocols`).
    const sockets = this.pc.iceTransports.flatMap((ice) =>
      (ice.connection as unknown as { protocols: { transport: UdpSocket }[] }).protocols.map(
        (protocol) => protocol.transport,
      ),
    );
    const restores = sockets.map((socket) => {
      const { send, onData } = socket;
      socket.send = async () => undefined;
      socket.onData = () => undefined;
      return () => {
        socket.send = send;
        socket.onData = onData;
      };
    });
    setTimeout(() => restores.forEach((restore) => restore()), ms).unref();
  }

  /** An offer for a browser to answer (an incoming call). */
  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.localSdp();
  }

  async accept(answerSdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  }

  private async localSdp(): Promise<string> {
    if (this.pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        const { unSubscribe } = this.pc.iceGatheringStateChange.subscribe((state) => {
          if (state !== 'complete') return;
          unSubscribe();
          resolve();
        });
      });
    }
    return this.pc.localDescription?.sdp ?? '';
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.pc.close().catch(() => undefined);
  }
}
