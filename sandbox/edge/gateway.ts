import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import createDebug from 'debug';
import jwt from 'jsonwebtoken';
import { WebSocketServer } from 'ws';
import { VoiceTokenError, verifyVoiceToken } from '../calls/access-token';
import type { ClientCallOptions } from '../calls/client-call';
import type { DialOutcome } from '../calls/dial-action';
import type { WebhookResult } from '../calls/webhook';
import { TwilioError } from '../rest/errors';
import type { SandboxClock } from '../rules/clock';
import type { CallStatus, SandboxState } from '../state/types';
import { Leg } from './legs';
import { MediaPeer } from './media-peer';
import { SignallingSession, type Payload, type SignallingError } from './signalling';
import { EdgeCall, type EdgeCallHost } from './edge-call';

const debug = createDebug('twilio-sandbox:edge');

/** What the edge needs from the sandbox: its state, and Twilio's webhooks for a call. */
export interface EdgeHost {
  state: SandboxState;
  readonly clock: SandboxClock;
  persist(): void;
  outgoingClientCall(options: ClientCallOptions): Promise<WebhookResult & { callSid: string }>;
  followDialAction(callSid: string, outcome: DialOutcome): Promise<WebhookResult>;
  reportCallEnded(callSid: string): Promise<WebhookResult[]>;
  recordDial(callSid: string, seconds: number): Promise<Record<string, string>>;
}

/** A DTMF digit the sandbox received from a browser, in the order received. */
export interface ReceivedDigit {
  callSid: string;
  digit: string;
  /** `rtp` for RFC 4733 telephone-events in the media, `signalling` for the SDK's `dtmf` message. */
  via: 'rtp' | 'signalling';
  at: string;
}

/** What the edge did that a test or a person may want to see, newest last. */
export interface EdgeEvent {
  at: string;
  callSid?: string;
  event: string;
}

/**
 * Twilio's calling edge in the sandbox: the signalling gateway the Voice SDK connects to
 * (`<host>/signal`, the Device's `chunderw` option) and the media of each call. It checks the
 * access token of `listen` as Twilio does (calls/access-token.ts), makes registered identities
 * reachable, turns a browser's `invite` into Twilio's webhook to the TwiML App and plays the TwiML,
 * and rings browsers for `<Dial><Client>`. Every leg is a Call resource of the sandbox, and follows it:
 * a call ended through the REST API is hung up in the browser. Sandbox only: never deployed.
 *
 * Plain `ws://`, not TLS: the SDK always builds `wss://<chunderw>/signal` (regions.ts
 * createSignalingEndpointURL), and the local softphone alone maps that URL to `ws://` on this machine
 * (scripts/local/sandbox-edge-socket.ts), which a browser allows a page of http://localhost without a
 * certificate to accept.
 */
export class VoiceEdge implements EdgeCallHost {
  readonly digits: ReceivedDigit[] = [];
  readonly events: EdgeEvent[] = [];
  private server: Server | undefined;
  private sockets: WebSocketServer | undefined;
  private readonly sessions = new Set<SignallingSession>();
  /** The legs each browser is part of, by the call SIDs it knows them by. */
  private readonly legs = new Map<SignallingSession, Map<string, Leg>>();
  /** Every leg not yet ended: browsers' and simulated phones'. */
  private readonly liveLegs = new Set<Leg>();
  /** Live legs whose browser holds a reconnect token, by that token. */
  private readonly byReconnectToken = new Map<string, Leg>();
  host = '';

  constructor(private readonly sandbox: EdgeHost) {}

  async listen(port = 0, hostname = '127.0.0.1'): Promise<this> {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('Twilio sandbox voice edge\n');
    });
    this.sockets = new WebSocketServer({ server, path: '/signal' });
    this.sockets.on('connection', (socket) => {
      const session = new SignallingSession(socket);
      this.sessions.add(session);
      this.legs.set(session, new Map());
      socket.on('message', (data) => this.receive(session, String(data)));
      socket.on('close', () => this.forget(session));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, hostname, resolve);
    });
    this.server = server;
    this.host = `${hostname}:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const session of this.sessions) this.forget(session);
    for (const client of this.sockets?.clients ?? []) client.terminate();
    this.sockets?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  log(event: string, callSid?: string): void {
    this.events.push({ at: new Date().toISOString(), event, ...(callSid ? { callSid } : {}) });
    debug(`${callSid ?? '-'} ${event}`);
  }

  private recordDigit(callSid: string, digit: string, via: ReceivedDigit['via']): void {
    this.digits.push({ callSid, digit, via, at: new Date().toISOString() });
    this.log(`digit ${digit} (${via})`, callSid);
  }

  /**
   * The socket closed. A leg that was answered outlives it for the `reconnectTimeout` its `listen`
   * asked (the browser resumes it with the leg's reconnect token); any other leg of it ends.
   */
  private forget(session: SignallingSession): void {
    for (const leg of new Set(this.legs.get(session)?.values() ?? [])) {
      if (leg.resumable && !leg.onAnswer && session.reconnectTimeoutS > 0) this.awaitReconnect(leg, session);
      else leg.end('gone');
    }
    this.legs.delete(session);
    this.sessions.delete(session);
  }

  private awaitReconnect(leg: Leg, session: SignallingSession): void {
    leg.session = undefined;
    this.log(`socket dropped: waiting ${session.reconnectTimeoutS} s for the browser`, leg.callSid);
    const giveUp = this.sandbox.clock.after(session.reconnectTimeoutS * 1000, () => leg.end('gone'));
    leg.stopWaitingForReconnect = () => {
      giveUp();
      leg.stopWaitingForReconnect = undefined;
    };
  }

  /** The browser was given the leg's reconnect token: an `invite` carrying it finds the leg. */
  resumable(leg: Leg): void {
    leg.resumable = true;
    this.byReconnectToken.set(leg.reconnectToken, leg);
    void leg.ended.then(() => this.byReconnectToken.delete(leg.reconnectToken));
  }

  private watch(leg: Leg): void {
    this.liveLegs.add(leg);
    void leg.ended.then(() => this.liveLegs.delete(leg));
  }

  private track(session: SignallingSession, leg: Leg, ...callSids: string[]): void {
    this.watch(leg);
    const known = this.legs.get(session);
    for (const sid of [leg.callSid, ...callSids]) known?.set(sid, leg);
    void leg.ended.then(() => {
      for (const sid of [leg.callSid, ...callSids]) if (known?.get(sid) === leg) known.delete(sid);
    });
  }

  /**
   * The sandbox's state changed (a REST request, a control): a leg whose Call resource reached a final
   * status, as `POST Calls/{sid}` with `Status=completed` does, is hung up in the browser.
   */
  followCallRecords(): void {
    for (const leg of [...this.liveLegs]) {
      const status = this.sandbox.state.calls.find((call) => call.sid === leg.callSid)?.status;
      if (status && FINAL.has(status) && !leg.isEnded) {
        this.log(`hung up: the call is ${status}`, leg.callSid);
        leg.hangUp(leg.onAnswer ? 'cancel' : 'hangup');
      }
    }
  }

  private receive(session: SignallingSession, text: string): void {
    let message: { type?: unknown; payload?: Payload };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    const payload = message.payload ?? {};
    const callsid = typeof payload.callsid === 'string' ? payload.callsid : '';
    switch (message.type) {
      case 'listen':
        session.setReconnectTimeout(payload.reconnectTimeout);
        return this.listenWith(session, String(payload.token ?? ''));
      case 'register':
        return this.register(session, (payload.media as { audio?: boolean } | undefined)?.audio === true);
      case 'invite':
        return this.inviteOrResume(session, payload, callsid);
      default:
        return this.callMessage(session, message.type, payload, callsid);
    }
  }

  /** An `invite` with a reconnect token resumes its call; without, a new call is set up (or hung up). */
  private inviteOrResume(session: SignallingSession, payload: Payload, callsid: string): void {
    if (typeof payload.reconnect === 'string') return this.resume(session, payload.reconnect, callsid);
    void this.invite(session, payload).catch((error: unknown) => {
      this.log(`invite failed: ${(error as Error).message}`, callsid);
      session.send('hangup', {
        callsid,
        error: { code: 31000, message: 'The call could not be set up' },
      });
    });
  }

  /** A message about a call of this connection (`callsid`), to the leg that carries it. */
  private callMessage(session: SignallingSession, type: unknown, payload: Payload, callsid: string): void {
    const leg = this.legs.get(session)?.get(callsid);
    switch (type) {
      case 'answer':
        return leg?.onAnswer?.(String(payload.sdp ?? ''));
      case 'reject':
        return leg?.onReject?.();
      case 'hangup':
        return leg?.end('hangup');
      case 'dtmf':
        for (const digit of String(payload.dtmf ?? ''))
          this.recordDigit(leg?.callSid ?? callsid, digit, 'signalling');
        return;
      case 'reinvite':
        return void this.reinvite(session, leg, String(payload.sdp ?? ''), callsid);
      case 'message':
        return this.userMessage(session, leg, payload, callsid);
      default:
        this.log(`ignored ${String(type)}`, callsid || undefined);
    }
  }

  /**
   * An ICE restart (rtc/peerconnection.ts iceRestart, after the media dropped): the new offer answered
   * by the leg's media peer with a restarted ICE agent (MediaPeer.renegotiate), in an `answer` (the
   * SDK processes its sdp only while `have-local-offer`); the browser's checks then bring the media back.
   */
  private async reinvite(
    session: SignallingSession,
    leg: Leg | undefined,
    sdp: string,
    callsid: string,
  ): Promise<void> {
    if (!leg?.media) return session.send('hangup', { callsid });
    try {
      const answer = await leg.media.renegotiate(sdp);
      this.log('ICE restart answered', leg.callSid);
      session.send('answer', { callsid, sdp: answer });
    } catch (error) {
      this.log(`ICE restart failed: ${(error as Error).message}`, leg.callSid);
    }
  }

  /**
   * A user-defined message (Call.sendMessage, pstream.ts sendMessage): acknowledged as Twilio's gateway
   * does, `ack` with `acktype: 'message'` and its `voiceeventsid` (call.ts _onAck fires messageSent).
   * The sandbox does not forward it to a StatusCallback-style endpoint; it logs it.
   */
  private userMessage(
    session: SignallingSession,
    leg: Leg | undefined,
    payload: Payload,
    callsid: string,
  ): void {
    const voiceeventsid = payload.voiceeventsid;
    if (!leg) {
      // 31212 "Call message event invalid": the SDK's errors/generated.ts.
      return session.send('error', {
        callsid,
        voiceeventsid,
        error: { code: 31212, message: 'No such call on this connection' },
      });
    }
    this.log(`message ${String(payload.messagetype)} (${String(payload.contenttype)})`, leg.callSid);
    session.send('ack', { callsid, acktype: 'message', voiceeventsid });
  }

  /**
   * An `invite` carrying a reconnect token, sent by the SDK on every `connected` while it holds one
   * (call.ts _onConnected): after a dropped socket, and after `listen` with a renewed token on the same
   * one. The same call goes on, answered with the same token (call.ts _onAnswer then emits
   * `reconnected` if it was reconnecting). An unknown or spent token gets a hangup: the call is over.
   */
  private resume(session: SignallingSession, token: string, callsid: string): void {
    const leg = this.byReconnectToken.get(token);
    if (!leg || leg.isEnded || !session.verified || leg.callSid !== callsid) {
      this.log('reconnect refused: the call is over', callsid || undefined);
      return session.send('hangup', { callsid });
    }
    if (leg.session !== session) {
      leg.stopWaitingForReconnect?.();
      leg.session = session;
      this.track(session, leg);
      this.log('reconnected', leg.callSid);
    }
    session.send('answer', { callsid, reconnect: token });
  }

  /**
   * `listen` carries the access token, at connection and again on Device.updateToken(): checked as
   * Twilio checks it (calls/access-token.ts). A refusal is an `error` message with the gateway's code
   * (VoiceTokenError.signallingCode: 31204, 31205, 31207, 31201), which the SDK's device.ts turns into
   * the 20101/20104/20151 its app sees.
   */
  private listenWith(session: SignallingSession, token: string): void {
    try {
      session.verified = verifyVoiceToken(this.sandbox.state, token);
    } catch (error) {
      session.token = undefined;
      session.verified = undefined;
      session.registered = false;
      const code = error instanceof VoiceTokenError ? error.signallingCode : 31204;
      const message = error instanceof TwilioError ? error.message : 'Invalid JWT token';
      this.log(`listen refused: ${code}`);
      return session.fail({ code, message });
    }
    session.token = token;
    const exp = (jwt.decode(token) as { exp: number }).exp;
    this.log(`listen ${session.verified.identity}`);
    session.send('connected', {
      region: 'sandbox',
      home: 'sandbox',
      token: { identity: session.verified.identity, ttl: exp - Math.floor(Date.now() / 1000) },
    });
  }

  private register(session: SignallingSession, audio: boolean): void {
    if (!session.verified) return session.fail(NOT_LISTENING);
    session.registered = audio;
    this.log(`${audio ? 'register' : 'unregister'} ${session.verified.identity}`);
    session.send(audio ? 'ready' : 'offline', {});
  }

  /** An outgoing call from a browser: its offer answered by the media, its params to the TwiML App. */
  private async invite(session: SignallingSession, payload: Payload): Promise<void> {
    const connectionId = String(payload.callsid ?? '');
    if (!session.token || !session.verified) return session.fail(NOT_LISTENING, connectionId);
    const params = Object.fromEntries(new URLSearchParams(String((payload.twilio as Payload)?.params ?? '')));
    let callSid = connectionId;
    const media = new MediaPeer({
      digit: (digit) => this.recordDigit(callSid, digit, 'rtp'),
      gone: () => caller.end('gone'),
    });
    media.echoing = false;
    const answerSdp = await media.answer(String(payload.sdp ?? ''));
    let first: WebhookResult & { callSid: string };
    try {
      first = await this.sandbox.outgoingClientCall({ token: session.token, to: params.To ?? '', params });
    } catch (error) {
      media.close();
      const code = error instanceof VoiceTokenError ? error.signallingCode : 31000;
      const message = error instanceof TwilioError ? error.message : 'Call failed';
      return session.send('hangup', { callsid: connectionId, error: { code, message } });
    }
    callSid = first.callSid;
    const caller = new Leg(callSid, session.verified.accountSid, session, media);
    this.track(session, caller, connectionId);
    this.log(`invite to ${params.To ?? ''}: ${first.method} ${first.url} -> ${first.status}`, callSid);
    const stage = new EdgeCall(this, caller, { from: `client:${session.verified.identity}`, answerSdp });
    await stage.play(first);
  }

  /** Twilio's part once an inbound call's webhook answered: the caller is a simulated phone. */
  async playInbound(call: WebhookResult & { callSid: string; accountSid: string }): Promise<void> {
    const caller = new Leg(call.callSid, call.accountSid, undefined, undefined);
    this.watch(caller);
    await new EdgeCall(this, caller, { from: call.params.From ?? '' }).play(call);
  }

  /**
   * Cuts every signalling connection of `identity` without a closing handshake, as a network blip
   * does: the SDK reconnects, and its calls go on if it asked for signalling reconnection.
   */
  dropConnections(accountSid: string, identity: string): number {
    const dropped = [...this.sessions].filter(
      (session) => session.verified?.accountSid === accountSid && session.verified.identity === identity,
    );
    for (const session of dropped) session.drop();
    return dropped.length;
  }

  /**
   * Loses every media packet of `identity`'s calls, both ways, for `ms`, as a network blip does: the
   * browser's ICE disconnects and the SDK restarts it (`reinvite`). Answers how many legs it cut.
   */
  interruptMedia(accountSid: string, identity: string, ms: number): number {
    const legs = new Set(
      [...this.legs]
        .filter(
          ([session]) =>
            session.verified?.accountSid === accountSid && session.verified.identity === identity,
        )
        .flatMap(([, known]) => [...known.values()]),
    );
    for (const leg of legs) leg.media?.interrupt(ms);
    return legs.size;
  }

  /** Registered browsers of `identity` in the account, each rung with its own media. */
  sessionsFor(accountSid: string, identity: string): SignallingSession[] {
    return [...this.sessions].filter((session) => session.reaches(accountSid, identity));
  }

  ring(session: SignallingSession, leg: Leg): void {
    this.track(session, leg);
  }

  digitFrom(callSid: string): (digit: string) => void {
    return (digit) => this.recordDigit(callSid, digit, 'rtp');
  }

  get state(): SandboxState {
    return this.sandbox.state;
  }

  get clock(): SandboxClock {
    return this.sandbox.clock;
  }

  changed(): void {
    this.sandbox.persist();
  }

  followDialAction(callSid: string, outcome: DialOutcome): Promise<WebhookResult> {
    return this.sandbox.followDialAction(callSid, outcome);
  }

  async recordDial(callSid: string, seconds: number): Promise<Record<string, string>> {
    const params = await this.sandbox.recordDial(callSid, seconds);
    if (params.RecordingSid) this.log(`recorded ${params.RecordingSid} (${seconds} s)`, callSid);
    return params;
  }

  async callEnded(callSid: string): Promise<void> {
    for (const sent of await this.sandbox.reportCallEnded(callSid))
      this.log(`status callback ${sent.params.CallStatus} -> ${sent.status}`, callSid);
  }
}

/**
 * `register` or `invite` before a token was accepted. 31204 "Invalid JWT token"
 * (https://www.twilio.com/docs/api/errors/31204), as the SDK's own pstream.ts expects for a register
 * sent before the server validated the token.
 */
const NOT_LISTENING: SignallingError = { code: 31204, message: 'No valid access token: send listen first' };

const FINAL = new Set<CallStatus>(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
