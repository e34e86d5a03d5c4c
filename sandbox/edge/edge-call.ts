import type { DialOutcome } from '../calls/dial-action';
import type { WebhookResult } from '../calls/webhook';
import { createCall } from '../state/seed';
import type { SandboxClock } from '../rules/clock';
import type { SandboxState } from '../state/types';
import { setCallStatus } from './call-state';
import { Leg } from './legs';
import { MediaPeer } from './media-peer';
import type { SignallingSession } from './signalling';
import { playCall, type CallStage, type DialledClient } from './twiml-player';

/** How long a simulated callee rings before it answers. */
const CALLEE_RINGS_MS = 500;

/** What a call needs from the edge it is played on. */
export interface EdgeCallHost {
  readonly state: SandboxState;
  /** The sandbox clock: a `<Dial timeout>` runs on it, so a test can let it pass. */
  readonly clock: SandboxClock;
  /** The state changed: the sandbox saves it. */
  changed(): void;
  log(event: string, callSid?: string): void;
  /** Registered browsers of `identity` in the account. */
  sessionsFor(accountSid: string, identity: string): SignallingSession[];
  /** The browser holds the leg's reconnect token: an `invite` with it resumes the leg. */
  resumable(leg: Leg): void;
  /** The browser's answers, rejections and hangups for this leg reach it from now on. */
  ring(session: SignallingSession, leg: Leg): void;
  digitFrom(callSid: string): (digit: string) => void;
  followDialAction(callSid: string, outcome: DialOutcome): Promise<WebhookResult>;
  /** The recording of the call's answered `<Dial record>`: its callback sent, its Dial action params. */
  recordDial(callSid: string, seconds: number): Promise<Record<string, string>>;
  /** The call's record is final: Twilio reports it to the App's StatusCallback. */
  callEnded(callSid: string): Promise<void>;
}

/** One call being played: its caller, what its TwiML asks, and the legs it dials. */
export class EdgeCall implements CallStage {
  private answered = false;
  private rang = false;
  private rejected = false;

  constructor(
    private readonly edge: EdgeCallHost,
    readonly caller: Leg,
    private readonly how: { from: string; answerSdp?: string },
  ) {}

  private status(callSid: string, status: Parameters<typeof setCallStatus>[2]): void {
    setCallStatus(this.edge.state, callSid, status);
    this.edge.changed();
  }

  async play(first: WebhookResult): Promise<void> {
    await playCall(this, first);
    const final = this.rejected ? 'busy' : this.answered ? 'completed' : 'canceled';
    this.status(this.caller.callSid, final);
    this.edge.log(`ended ${final}`, this.caller.callSid);
    await this.edge.callEnded(this.caller.callSid);
  }

  /**
   * The far end rings. The service's `<Dial answerOnBridge="true">` keeps the browser's leg unanswered
   * meanwhile, and Twilio plays the ringback as early media: `ringing` carries the media's sdp (the SDK's
   * rtc/peerconnection.ts takes the answer sdp from `ringing` or `answer`, whichever comes first; call.ts
   * _onRinging reports `hasEarlyMedia`).
   */
  ringing(): void {
    if (this.answered || this.rang) return;
    this.rang = true;
    this.caller.session?.send('ringing', { callsid: this.caller.callSid, sdp: this.how.answerSdp });
  }

  /**
   * Answered: `answer` with the sdp (if `ringing` did not carry it) and, when the browser's `listen`
   * asked for signalling reconnection, the leg's `reconnect` token (call.ts _onAnswer keeps it).
   */
  answer(): void {
    if (this.answered || this.caller.isEnded) return;
    this.answered = true;
    const session = this.caller.session;
    const resumable = (session?.reconnectTimeoutS ?? 0) > 0;
    if (resumable) this.edge.resumable(this.caller);
    if (this.caller.media) this.caller.media.echoing = true;
    session?.send('answer', {
      callsid: this.caller.callSid,
      ...(this.rang ? {} : { sdp: this.how.answerSdp }),
      ...(resumable ? { reconnect: this.caller.reconnectToken } : {}),
    });
    this.status(this.caller.callSid, 'in-progress');
    this.edge.log('answered', this.caller.callSid);
  }

  reject(): void {
    this.rejected = true;
  }

  skipped(verb: string): void {
    this.edge.log(`<${verb}> is not played by the sandbox`, this.caller.callSid);
  }

  followDialAction(outcome: DialOutcome): Promise<WebhookResult> {
    return this.edge.followDialAction(this.caller.callSid, outcome);
  }

  recordDial(seconds: number): Promise<Record<string, string>> {
    return this.edge.recordDial(this.caller.callSid, seconds);
  }

  private child(to: string) {
    const call = createCall(this.edge.state, {
      accountSid: this.caller.accountSid,
      from: this.how.from,
      to,
      status: 'ringing',
      direction: 'outbound-dial',
    });
    this.edge.changed();
    return call;
  }

  /** The simulated callee: rings briefly, answers, and is heard as the caller's own echo. */
  async dialNumber(number: string): Promise<DialOutcome> {
    const callee = this.child(number);
    this.ringing();
    await this.caller.wait(CALLEE_RINGS_MS);
    if (this.caller.isEnded) {
      this.status(callee.sid, 'canceled');
      return { DialCallStatus: 'canceled', DialCallSid: callee.sid };
    }
    this.answer();
    this.status(callee.sid, 'in-progress');
    const started = Date.now();
    // A simulated phone calling a simulated phone would never end: it hangs up at once.
    if (this.caller.session) await this.caller.ended;
    this.status(callee.sid, 'completed');
    return {
      DialCallStatus: 'completed',
      DialCallSid: callee.sid,
      DialCallDuration: String(Math.round((Date.now() - started) / 1000)),
    };
  }

  /**
   * Rings every registered browser of these identities at once, each with its own WebRTC offer; the
   * first to answer gets the call, the others are cancelled. Two browsers hear each other (their media
   * is bridged); a simulated caller is heard as the answering browser's own echo.
   */
  async dialClients(clients: DialledClient[], timeoutS: number): Promise<DialOutcome> {
    const rung: Leg[] = [];
    const answeredBy = new Promise<Leg | undefined>((resolve) => {
      const settle = (leg: Leg | undefined) => {
        stopTimer();
        resolve(leg);
      };
      // Unanswered after the `<Dial timeout>`: every rung leg is cancelled and ends `no-answer`.
      const stopTimer = this.edge.clock.after(timeoutS * 1000, () => settle(undefined));
      void this.caller.ended.then(() => settle(undefined));
      void this.ringEach(clients, rung, settle);
    });
    this.ringing();
    const callee = await answeredBy;
    for (const leg of rung) if (leg !== callee) leg.hangUp('cancel');
    if (!callee) {
      // Not confirmed in Twilio's docs: what DialCallStatus a <Client> that declined gets; no-answer here.
      const status = this.caller.isEnded ? 'canceled' : 'no-answer';
      for (const leg of rung) this.status(leg.callSid, status);
      return { DialCallStatus: status };
    }
    // Bridged before the caller is answered, so the caller never hears its own echo first.
    if (this.caller.media && callee.media) {
      this.caller.media.forwardTo = callee.media.send;
      callee.media.forwardTo = this.caller.media.send;
    }
    this.answer();
    this.status(callee.callSid, 'in-progress');
    const started = Date.now();
    await Promise.race([callee.ended, this.caller.ended]);
    callee.hangUp();
    this.status(callee.callSid, 'completed');
    return {
      DialCallStatus: 'completed',
      DialCallSid: callee.callSid,
      DialCallDuration: String(Math.round((Date.now() - started) / 1000)),
    };
  }

  private async ringEach(
    clients: DialledClient[],
    rung: Leg[],
    settle: (leg: Leg | undefined) => void,
  ): Promise<void> {
    let refusals = 0;
    for (const { identity, parameters } of clients) {
      const sessions = this.edge.sessionsFor(this.caller.accountSid, identity);
      if (!sessions.length) continue;
      const child = this.child(`client:${identity}`);
      for (const session of sessions) {
        const media = new MediaPeer({ digit: this.edge.digitFrom(child.sid), gone: () => leg.end('gone') });
        const leg = new Leg(child.sid, this.caller.accountSid, session, media);
        if (session.reconnectTimeoutS > 0) this.edge.resumable(leg);
        rung.push(leg);
        this.edge.ring(session, leg);
        leg.onAnswer = (sdp) => {
          leg.onAnswer = undefined;
          void media.accept(sdp).then(
            () => settle(leg),
            () => leg.end('gone'),
          );
        };
        leg.onReject = () => {
          leg.end('rejected');
          refusals += 1;
          if (refusals === rung.length) settle(undefined);
        };
        const sdp = await media.offer();
        if (this.caller.isEnded) return;
        // An incoming call's reconnect token comes with its invite (device.ts _onSignalingInvite).
        session.send('invite', {
          callsid: child.sid,
          sdp,
          ...(leg.resumable ? { reconnect: leg.reconnectToken } : {}),
          parameters: {
            AccountSid: this.caller.accountSid,
            CallSid: child.sid,
            From: this.how.from,
            To: `client:${identity}`,
            ApiVersion: '2010-04-01',
            // As the SDK reads them (device.ts: queryToJson(Params)) into the call's customParameters.
            ...(Object.keys(parameters).length ? { Params: new URLSearchParams(parameters).toString() } : {}),
          },
        });
        this.edge.log(`ringing ${identity}`, child.sid);
      }
    }
    if (!rung.length) settle(undefined);
  }
}
