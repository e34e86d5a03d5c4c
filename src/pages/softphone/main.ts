/**
 * The softphone page: sign in with a ticket, keep a Voice token fresh, register a Device, make and take
 * calls. The Voice SDK is the service's own copy (vendor/twilio-voice.min.js), loaded before this file.
 */
import type { Call, Device } from '@twilio/voice-sdk';
import { byId, say, show } from '../common/dom';
import { mountAudioChoice } from './audio-choice';
import { buildDialPad, dialKey } from './dial-pad';
import { dialTarget } from './dial-target';
import { explainCallError, type SdkError } from './explain-call-error';
import { QualityWarnings } from './quality-warnings';
import { RecentCalls, renderRecentCalls, type Direction } from './recent-calls';
import { ToneQueue } from './tone-queue';
import { sandboxEdgeOptions } from './sandbox-edge';
import { askEmbedderForTicket, listenForTickets, readFragment } from './ticket-source';
import type { IssuedToken, TokenRequestError } from './token-client';
import { renewLeadMs, TokenKeeper } from './token-keeper';

const ui = {
  status: byId('status'),
  problem: byId('problem'),
  signIn: byId<HTMLFormElement>('sign-in'),
  ticket: byId<HTMLTextAreaElement>('ticket'),
  phone: byId('phone'),
  identity: byId('identity'),
  line: byId('line'),
  expires: byId('expires'),
  dial: byId<HTMLFormElement>('dial'),
  to: byId<HTMLInputElement>('to'),
  dialProblem: byId('dial-problem'),
  call: byId<HTMLButtonElement>('call'),
  incoming: byId('incoming'),
  incomingText: byId('incoming-text'),
  incomingNumber: byId('incoming-number'),
  accept: byId<HTMLButtonElement>('accept'),
  reject: byId<HTMLButtonElement>('reject'),
  activeCall: byId('active-call'),
  callState: byId('call-state'),
  callText: byId('call-text'),
  quality: byId('quality'),
  dialPad: byId('dial-pad'),
  tonesSent: byId('tones-sent'),
  mute: byId<HTMLButtonElement>('mute'),
  hangup: byId<HTMLButtonElement>('hangup'),
  sound: {
    microphone: byId<HTMLSelectElement>('microphone'),
    speaker: byId<HTMLSelectElement>('speaker'),
    speakerNote: byId('speaker-note'),
    note: byId('sound-note'),
  },
  noRecent: byId('no-recent'),
  recentTable: byId('recent-table'),
  recentRows: byId<HTMLTableSectionElement>('recent-rows'),
};

const TOKEN_ERRORS = new Set([20101, 20104, 31204, 31205]);
/** What the SDK reports when it cannot open its connection to Twilio at all. */
const CONNECTION_ERRORS = new Set([31000, 31005, 31009, 53000]);
const UNREACHABLE =
  "Can't reach Twilio's calling service from this network. Calls won't work until it connects; retrying.";

let keeper: TokenKeeper | undefined;
let callingPolicy: IssuedToken['callingPolicy'] | undefined;
let device: Device | undefined;
let activeCall: Call | undefined;
let ringing: Call | undefined;
let callTimer: ReturnType<typeof setInterval> | undefined;
let everRegistered = false;
let refreshAudioChoice: (() => void) | undefined;
const warnings = new QualityWarnings();
const recent = new RecentCalls();
const tones = new ToneQueue((digits) => {
  if (activeCall?.status() === 'open') activeCall.sendDigits(digits);
});

function showProblem(message: string): void {
  ui.problem.textContent = message;
  show(ui.problem, true);
}

function clearProblem(): void {
  show(ui.problem, false);
}

function lineState(text: string, tone: 'ok' | 'warn' | 'info'): void {
  say(ui.status, text, tone);
  ui.line.textContent = text;
}

// --- signing in and keeping the token fresh ---------------------------------------------------------

/** `embedder`: the origin of the page that sent the ticket by `postMessage` (/token checks it). */
async function signIn(ticket: string, ttl: number | undefined, embedder?: string): Promise<void> {
  clearProblem();
  if (keeper?.token) {
    keeper.useTicket(ticket, embedder);
    await keeper.renew();
    return;
  }
  say(ui.status, 'Signing in…');
  keeper = new TokenKeeper(ticket, ttl, { token: onToken, problem: onTokenProblem }, embedder);
  await keeper.renew();
}

function onToken(token: IssuedToken): void {
  callingPolicy = token.callingPolicy;
  show(ui.signIn, false);
  show(ui.phone, true);
  ui.identity.textContent = token.identity;
  ui.expires.textContent = `before ${new Date(token.expiresAt).toLocaleTimeString()}`;
  ui.expires.dataset.expiresAt = token.expiresAt;
  if (device) {
    // Swaps the token in place: a call in progress goes on.
    device.updateToken(token.token);
  } else {
    startDevice(token);
  }
}

function onTokenProblem(error: TokenRequestError): void {
  showProblem(error.message);
  if (error.code === 'ticket_expired') askEmbedderForTicket('ticket_expired');
  if (!keeper?.token) {
    // Never signed in: let the person (or the embedding page) try another ticket.
    keeper?.stop();
    keeper = undefined;
    show(ui.signIn, true);
    say(ui.status, 'Not signed in.', 'warn');
  }
}

// --- the Device ---------------------------------------------------------------------------------------

function voiceSdk(): typeof Device | undefined {
  return (window as unknown as { Twilio?: { Device?: typeof Device } }).Twilio?.Device;
}

function startDevice(token: IssuedToken): void {
  const DeviceClass = voiceSdk();
  if (!DeviceClass) {
    showProblem('The calling library did not load. Reload the page.');
    return;
  }
  const phone = new DeviceClass(token.token, {
    // The SDK's own warning comes when the keeper would renew (a minute before expiry, or half the
    // lifetime of a short token: a fixed minute made a shorter token "about to expire" as soon as
    // it was renewed, renewing it again and again); the keeper's timer is the safety net.
    tokenRefreshMs: renewLeadMs(token.ttl),
    closeProtection: 'A call is in progress. Leave the page and end it?',
    // A call outlives a dropped signalling socket for up to 30 s (the SDK's cap, pstream.ts), the
    // SDK's opt-in signalling reconnection: https://www.twilio.com/docs/voice/sdks/javascript/edges
    maxCallSignalingTimeoutMs: 30_000,
    logLevel: 'warn',
    ...sandboxEdgeOptions(),
  });
  device = phone;
  if (phone.audio) refreshAudioChoice = mountAudioChoice(phone.audio, ui.sound);
  phone.on('registering', () => lineState('Registering with Twilio…', 'info'));
  phone.on('registered', () => {
    everRegistered = true;
    lineState('Ready: you can make and take calls.', 'ok');
    clearProblem();
  });
  phone.on('unregistered', () => lineState('Not connected: incoming calls will not ring.', 'warn'));
  phone.on('tokenWillExpire', () => void keeper?.renew());
  phone.on('incoming', onIncoming);
  phone.on('error', (error: SdkError) => {
    const cannotConnect = !everRegistered && error.code !== undefined && CONNECTION_ERRORS.has(error.code);
    showProblem(cannotConnect ? UNREACHABLE : explainCallError(error));
    if (error.code !== undefined && TOKEN_ERRORS.has(error.code)) void keeper?.renew();
    if (phone.state !== 'registered') lineState('Not connected: calls will not work yet.', 'warn');
  });
  lineState('Registering with Twilio…', 'info');
  phone.register().catch((error: SdkError) => {
    showProblem(explainCallError(error));
    lineState('Not connected: calls will not work yet.', 'warn');
  });
}

// --- calls ----------------------------------------------------------------------------------------------

function caller(call: Call): string {
  const from = call.parameters.From ?? 'an unknown caller';
  return from.startsWith('client:') ? from.slice('client:'.length) : from;
}

/**
 * Which of our numbers an incoming call came to: the calledNumber `<Parameter>` the inbound TwiML sets
 * on each `<Client>` (src/voice/inbound-call.ts; the SDK's customParameters), else the call's To when it
 * is a number. A call from a colleague comes to the person, not to a number.
 */
function calledNumber(call: Call): string | undefined {
  const custom = call.customParameters.get('calledNumber');
  if (custom) return custom;
  const to = call.parameters.To;
  return to && !to.startsWith('client:') ? to : undefined;
}

/**
 * The call's state in a word on the call panel, and in a sentence on the page's status line, which
 * screen readers announce (the panel's running clock is not a live region: it would speak every second).
 */
function callState(words: string, sentence: string): void {
  ui.callState.textContent = words;
  say(ui.status, sentence);
}

function showWarnings(): void {
  ui.quality.replaceChildren(
    ...warnings.sentences().map((sentence) => {
      const item = document.createElement('li');
      item.textContent = sentence;
      return item;
    }),
  );
}

function sendTone(digit: string): void {
  if (!activeCall || activeCall.status() !== 'open') return;
  tones.push(digit);
  ui.tonesSent.textContent = `${ui.tonesSent.textContent || 'Tones sent: '}${digit}`;
}

function follow(call: Call, who: string, direction: Direction, firstWords: string): void {
  activeCall = call;
  let answeredAt: number | undefined;
  let outcome: string | undefined;
  callState('Connecting', `Connecting to ${who}…`);
  ui.callText.textContent = firstWords;
  ui.tonesSent.textContent = '';
  tones.reset();
  ui.mute.textContent = 'Mute';
  ui.mute.setAttribute('aria-pressed', 'false');
  warnings.reset();
  showWarnings();
  show(ui.activeCall, true);
  ui.call.disabled = true;
  // The Call button just went away from under the focus: Hang up is the next thing a person may want.
  ui.hangup.focus();
  call.on('ringing', () => {
    callState('Ringing', `Ringing ${who}…`);
    ui.callText.textContent = `Ringing ${who}…`;
  });
  call.on('accept', () => {
    answeredAt = Date.now();
    const started = answeredAt;
    callState('In call', `In call with ${who}.`);
    refreshAudioChoice?.();
    const tick = () => {
      const seconds = Math.floor((Date.now() - started) / 1000);
      ui.callText.textContent = `On a call with ${who} · ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    };
    tick();
    callTimer = setInterval(tick, 1000);
  });
  call.on('reconnecting', () =>
    callState('Reconnecting', `The connection to ${who} dropped; reconnecting the call…`),
  );
  call.on('reconnected', () => callState('In call', `Reconnected: in call with ${who}.`));
  call.on('warning', (name: string) => {
    warnings.raise(name);
    showWarnings();
  });
  call.on('warning-cleared', (name: string) => {
    warnings.clear(name);
    showWarnings();
  });
  call.on('mute', (muted: boolean) => {
    ui.mute.textContent = muted ? 'Unmute' : 'Mute';
    ui.mute.setAttribute('aria-pressed', String(muted));
  });
  const end = (message: string, fallback: string) => {
    recent.add({ who, direction, answeredAt, endedAt: Date.now(), outcome: outcome ?? fallback });
    showRecent();
    // A call ended to take another leaves the new one on screen.
    if (activeCall === call) endCall(message);
  };
  call.on('disconnect', () => end(`Call with ${who} ended.`, answeredAt ? 'Answered' : 'Not answered'));
  call.on('cancel', () => end(`${who} hung up before the call was answered.`, 'Cancelled'));
  call.on('reject', () => end(`The call to ${who} was declined.`, 'Declined'));
  call.on('error', (error: SdkError) => {
    outcome = explainCallError(error);
    showProblem(outcome);
  });
}

function endCall(message: string): void {
  clearInterval(callTimer);
  activeCall = undefined;
  show(ui.activeCall, false);
  ui.call.disabled = false;
  say(ui.status, message);
  if (ui.activeCall.contains(document.activeElement) || document.activeElement === document.body)
    ui.to.focus();
}

function showRecent(): void {
  renderRecentCalls(ui.recentRows, recent.list());
  show(ui.recentTable, recent.list().length > 0);
  show(ui.noRecent, recent.list().length === 0);
}

function onIncoming(call: Call): void {
  ringing = call;
  const who = caller(call);
  ui.incomingText.textContent = activeCall
    ? `${who} is calling. Accepting ends your current call.`
    : `${who} is calling.`;
  const number = calledNumber(call);
  ui.incomingNumber.textContent = number ? `They called ${number}.` : 'They called you directly.';
  show(ui.incoming, true);
  say(ui.status, `Ringing: ${ui.incomingText.textContent} ${ui.incomingNumber.textContent}`);
  ui.accept.focus();
  const settle = () => {
    ringing = undefined;
    show(ui.incoming, false);
  };
  call.on('cancel', () => {
    if (ringing !== call) return;
    settle();
    recent.add({ who, direction: 'Incoming', endedAt: Date.now(), outcome: 'Missed' });
    showRecent();
    say(ui.status, `Missed call from ${who}.`, 'warn');
  });
  call.on('disconnect', settle);
}

async function placeCall(): Promise<void> {
  const target = dialTarget(ui.to.value, callingPolicy);
  // Said next to the field, so a connection message in the banner cannot hide it.
  ui.dialProblem.textContent = target.ok ? '' : target.message;
  show(ui.dialProblem, !target.ok);
  ui.to.setAttribute('aria-invalid', String(!target.ok));
  if (!target.ok) return;
  clearProblem();
  if (!device) return showProblem('The phone is not signed in yet.');
  if (activeCall) return showProblem('Hang up the current call first.');
  try {
    const call = await device.connect({ params: { To: target.to } });
    follow(call, target.label, 'Outgoing', `Calling ${target.label}…`);
  } catch (error) {
    showProblem(explainCallError(error as SdkError));
  }
}

// --- start -------------------------------------------------------------------------------------------------

function start(): void {
  const { ticket, ttl } = readFragment();
  listenForTickets((received, embedder) => void signIn(received, ttl, embedder));
  ui.signIn.addEventListener('submit', (event) => {
    event.preventDefault();
    const pasted = ui.ticket.value.trim();
    ui.ticket.value = '';
    if (pasted) void signIn(pasted, ttl);
  });
  ui.dial.addEventListener('submit', (event) => {
    event.preventDefault();
    void placeCall();
  });
  ui.accept.addEventListener('click', () => {
    const call = ringing;
    if (!call) return;
    activeCall?.disconnect();
    show(ui.incoming, false);
    ringing = undefined;
    follow(call, caller(call), 'Incoming', `Connecting to ${caller(call)}…`);
    call.accept();
  });
  ui.reject.addEventListener('click', () => {
    const call = ringing;
    if (!call) return;
    call.reject();
    show(ui.incoming, false);
    ringing = undefined;
    recent.add({ who: caller(call), direction: 'Incoming', endedAt: Date.now(), outcome: 'Declined' });
    showRecent();
    ui.to.focus();
    say(ui.status, `You declined the call from ${caller(call)}.`);
  });
  ui.mute.addEventListener('click', () => activeCall?.mute(!activeCall.isMuted()));
  ui.hangup.addEventListener('click', () => activeCall?.disconnect());
  buildDialPad(ui.dialPad, sendTone);
  // Digits typed during a call are tones, unless typed into a field (the number box keeps its own).
  document.addEventListener('keydown', (event) => {
    const digit = dialKey(event.key);
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
    if (!digit || !activeCall || typing || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    sendTone(digit);
  });

  if (ticket) {
    void signIn(ticket, ttl);
  } else {
    show(ui.signIn, true);
    say(ui.status, 'Not signed in.');
    askEmbedderForTicket('start');
  }
}

start();
