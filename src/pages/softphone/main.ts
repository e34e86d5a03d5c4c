/**
 * The softphone page: sign in with a ticket, keep a Voice token fresh, register a Device, make and take
 * calls. The Voice SDK is the service's own copy (vendor/twilio-voice.min.js), loaded before this file.
 */
import type { Call, Device } from '@twilio/voice-sdk';
import { byId, say, show } from '../common/dom';
import { dialTarget } from './dial-target';
import { explainCallError, type SdkError } from './explain-call-error';
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
  accept: byId<HTMLButtonElement>('accept'),
  reject: byId<HTMLButtonElement>('reject'),
  activeCall: byId('active-call'),
  callText: byId('call-text'),
  mute: byId<HTMLButtonElement>('mute'),
  hangup: byId<HTMLButtonElement>('hangup'),
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

async function signIn(ticket: string, ttl: number | undefined): Promise<void> {
  clearProblem();
  if (keeper?.token) {
    keeper.useTicket(ticket);
    await keeper.renew();
    return;
  }
  say(ui.status, 'Signing in…');
  keeper = new TokenKeeper(ticket, ttl, { token: onToken, problem: onTokenProblem });
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
    logLevel: 'warn',
    ...sandboxEdgeOptions(),
  });
  device = phone;
  phone.on('registering', () => lineState('Connecting to Twilio…', 'info'));
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
  lineState('Connecting to Twilio…', 'info');
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

function follow(call: Call, who: string, firstWords: string): void {
  activeCall = call;
  ui.callText.textContent = firstWords;
  ui.mute.textContent = 'Mute';
  ui.mute.setAttribute('aria-pressed', 'false');
  show(ui.activeCall, true);
  ui.call.disabled = true;
  call.on('ringing', () => (ui.callText.textContent = `Ringing ${who}…`));
  call.on('accept', () => {
    const started = Date.now();
    const tick = () => {
      const seconds = Math.floor((Date.now() - started) / 1000);
      ui.callText.textContent = `On a call with ${who} · ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    };
    tick();
    callTimer = setInterval(tick, 1000);
  });
  call.on('mute', (muted: boolean) => {
    ui.mute.textContent = muted ? 'Unmute' : 'Mute';
    ui.mute.setAttribute('aria-pressed', String(muted));
  });
  call.on('disconnect', () => endCall(`Call with ${who} ended.`));
  call.on('cancel', () => endCall(`${who} hung up before the call was answered.`));
  call.on('reject', () => endCall(`The call to ${who} was declined.`));
  call.on('error', (error: SdkError) => showProblem(explainCallError(error)));
}

function endCall(message: string): void {
  clearInterval(callTimer);
  activeCall = undefined;
  show(ui.activeCall, false);
  ui.call.disabled = false;
  say(ui.status, message);
}

function onIncoming(call: Call): void {
  ringing = call;
  const who = caller(call);
  ui.incomingText.textContent = activeCall
    ? `${who} is calling. Accepting ends your current call.`
    : `${who} is calling.`;
  show(ui.incoming, true);
  const settle = () => {
    ringing = undefined;
    show(ui.incoming, false);
  };
  call.on('cancel', () => {
    settle();
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
    follow(call, target.label, `Calling ${target.label}…`);
  } catch (error) {
    showProblem(explainCallError(error as SdkError));
  }
}

// --- start -------------------------------------------------------------------------------------------------

function start(): void {
  const { ticket, ttl } = readFragment();
  listenForTickets((received) => void signIn(received, ttl));
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
    follow(call, caller(call), `Connecting to ${caller(call)}…`);
    call.accept();
  });
  ui.reject.addEventListener('click', () => {
    const call = ringing;
    if (!call) return;
    call.reject();
    show(ui.incoming, false);
    ringing = undefined;
    say(ui.status, `You declined the call from ${caller(call)}.`);
  });
  ui.mute.addEventListener('click', () => activeCall?.mute(!activeCall.isMuted()));
  ui.hangup.addEventListener('click', () => activeCall?.disconnect());

  if (ticket) {
    void signIn(ticket, ttl);
  } else {
    show(ui.signIn, true);
    say(ui.status, 'Not signed in.');
    askEmbedderForTicket('start');
  }
}

start();
