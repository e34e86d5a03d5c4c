import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  planCompleteCall,
  planVoicemail,
  recordDialledLeg,
  statusCallbackRequests,
  type CallEndPlan,
  type CallEnding,
  type CompleteCallOptions,
  type LiveCall,
  type VoicemailOptions,
} from './calls/call-end';
import { findVerb } from './calls/twiml';
import { prepareClientCall, type ClientCallOptions } from './calls/client-call';
import { prepareDialAction, type DialOutcome } from './calls/dial-action';
import { prepareInboundCall, type InboundCallOptions } from './calls/inbound';
import { sendWebhook, type WebhookRequest, type WebhookResult } from './calls/webhook';
import { handleControl, CONTROL_PREFIX } from './controls';
import { TwilioError } from './rest/errors';
import { isRecordingMedia, serveRecordingMedia } from './resources/api-v2010/recording-media';
import { FaultPlan, type FaultKind, type FaultOptions, type FaultRates } from './faults';
import { filterRequests, type LoggedRequest, type RequestFilter } from './request-log';
import type { RequestRules } from './context';
import { SandboxClock } from './rules/clock';
import { deleteExpiredSubaccounts } from './rules/closed-accounts';
import { SyncRateLimiter, type SyncObjectUsage } from './rules/sync-rate';
import { handleRestRequest, type ServerCore, type SpecViolation } from './server';
import { specFor, SPEC_HOSTS } from './spec/specs';
import {
  addAddress,
  addAvailableNumber,
  addPhoneNumber,
  addUsage,
  createAccount,
  createCall,
  seed,
  type CallOptions,
  type PhoneNumberOptions,
  type SeedOptions,
  type SeedResult,
  type UsageOptions,
} from './state/seed';
import { repointUrls } from './state/repoint-urls';
import { loadState, saveState } from './state/store';
import { emptyState, type Account, type SandboxState } from './state/types';
import { newSecret } from './rest/ids';
import { BuildRunner, type Builder } from './serverless/build-runner';
import { defaultBuilder } from './serverless/builder';
import { ContentStore } from './serverless/content-store';
import { serverlessRecord } from './serverless/record';
import { runInputOf } from './serverless/run-input';
import { serveDeployment, type ServeOptions, type ServedDeployment } from './serverless-runtime';
import { VoiceEdge } from './edge/gateway';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Persist state to this file; omitted, state lives in memory only. */
  statePath?: string;
  /** Ignore any state saved at statePath and start empty. */
  fresh?: boolean;
  /** How long each REST request waits before it is handled, on the sandbox clock (ServerCore.latency). */
  latencyMs?: number;
  validateSpec?: boolean;
  /** Twilio's limits, as the sandbox starts (and returns to on reset); see SandboxLimits. */
  limits?: Partial<SandboxLimits>;
  /**
   * Also serve Twilio's calling edge (sandbox/edge): the Voice SDK's signalling gateway over TLS, on
   * its own port (0 picks a free one), and the media of its calls. Off unless asked for.
   */
  voiceEdge?: { port?: number };
  /**
   * Builds what `twilio-run deploy` uploads (sandbox/serverless/build-runner.ts); by default
   * sandbox/serverless/builder.ts. Tests may give a trivial one.
   */
  serverlessBuilder?: Builder;
}

/** Twilio's limits that a sandbox can loosen or tighten, e.g. to reach one in a test. */
export interface SandboxLimits {
  /** Refuse Sync reads and writes beyond 20/s per object (10 s burst window); on, like Twilio. */
  syncRateLimits: boolean;
  /**
   * Subaccounts a main account may hold: "up to 1000 subaccounts by default" (raised by Twilio support),
   * https://www.twilio.com/docs/iam/api/subaccounts.
   */
  subaccountLimit: number;
}

const DEFAULT_LIMITS: SandboxLimits = { syncRateLimits: true, subaccountLimit: 1000 };

export interface CallResult extends WebhookResult {
  callSid: string;
  accountSid: string;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A running sandbox: the REST stand-in, Twilio's part in calls, and the controls tests drive. */
export class Sandbox implements ServerCore {
  state: SandboxState;
  latencyMs: number;
  readonly validateSpec: boolean;
  readonly faults = new FaultPlan();
  readonly clock = new SandboxClock();
  readonly syncRate = new SyncRateLimiter();
  limits: SandboxLimits;
  log: LoggedRequest[] = [];
  violations: SpecViolation[] = [];
  baseUrl = '';
  /** The calling edge, when started with `voiceEdge`; its `host` is the Device's `chunderw`. */
  voiceEdge: VoiceEdge | undefined;
  private readonly server: Server;
  private readonly held = new Set<{ response: ServerResponse; timer?: NodeJS.Timeout }>();
  /** Each simulated call's first params and last TwiML, so a `<Dial action>` or its end can follow it. */
  private readonly lastWebhook = new Map<string, LiveCall>();
  private requestsInFlight = 0;
  /** The bytes of uploaded Function and Asset Versions (beside the state file when persisted). */
  readonly contents: ContentStore;
  private readonly builds: BuildRunner;
  /** Deployments served from this sandbox (sandbox/serverless-runtime), closed with it. */
  private readonly served = new Set<ServedDeployment>();
  /** The most REST requests in flight at once (set it to 0 to measure from now): concurrency, counted. */
  peakRequestsInFlight = 0;

  constructor(private readonly options: SandboxOptions) {
    this.state = options.statePath && !options.fresh ? loadState(options.statePath) : emptyState();
    this.contents = new ContentStore(options.statePath && `${options.statePath}.content`);
    this.builds = new BuildRunner(options.serverlessBuilder ?? defaultBuilder);
    this.latencyMs = options.latencyMs ?? 0;
    this.validateSpec = options.validateSpec ?? true;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.syncRate.enforced = this.limits.syncRateLimits;
    this.server = createServer((request, response) => {
      void this.route(request, response);
    });
  }

  async listen(): Promise<this> {
    // Parse the specs before the first request, so its latency is the configured one.
    if (this.validateSpec) await Promise.all(SPEC_HOSTS.map((host) => specFor(host)));
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, resolve);
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${port}`;
    if (this.options.voiceEdge)
      this.voiceEdge = await new VoiceEdge(this).listen(this.options.voiceEdge.port, host);
    this.persist();
    this.afterChange();
    return this;
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if ((request.url ?? '').startsWith(CONTROL_PREFIX)) {
      await handleControl(this, request, response, body.toString('utf8'));
      return;
    }
    this.requestsInFlight += 1;
    this.peakRequestsInFlight = Math.max(this.peakRequestsInFlight, this.requestsInFlight);
    try {
      if (isRecordingMedia(request)) {
        await this.latency();
        serveRecordingMedia(this, request, response);
        return;
      }
      await handleRestRequest(this, request, response, body);
    } finally {
      this.requestsInFlight -= 1;
    }
  }

  persist(): void {
    if (this.options.statePath) saveState(this.options.statePath, this.state);
    this.voiceEdge?.followCallRecords();
  }

  afterChange(): void {
    this.builds.startPending(this);
  }

  /** Resolves once every Build started so far has ended (completed or failed). */
  async buildsSettled(): Promise<void> {
    await this.builds.settled();
  }

  /** What was deployed to the sandbox: `GET /__sandbox/serverless`, with the file each Function ran from. */
  serverlessRecord() {
    const ranFrom = new Map(
      [...this.served].flatMap((deployment) =>
        deployment.invocations().map(({ sid, file }) => [sid, file] as const),
      ),
    );
    return serverlessRecord(this.state, ranFrom);
  }

  /** Serves an Environment's latest Deployment as Twilio runs it (sandbox/serverless-runtime). */
  async serveEnvironment(
    environmentSid: string,
    options: ServeOptions & { port?: number } = {},
  ): Promise<ServedDeployment> {
    const { port, ...serveOptions } = options;
    const input = runInputOf(this.state, this.contents, environmentSid);
    // The deployed service reaches this sandbox as `npm start` does: the sandbox's business, not a Variable.
    const deployment = await serveDeployment(port === undefined ? input : { ...input, port }, {
      sandboxContext: { TWILIO_API_BASE_URL: this.baseUrl },
      ...serveOptions,
    });
    this.served.add(deployment);
    return deployment;
  }

  hold(response: ServerResponse, holdMs: number | undefined): void {
    const entry: { response: ServerResponse; timer?: NodeJS.Timeout } = { response };
    if (holdMs !== undefined) {
      entry.timer = setTimeout(() => {
        this.held.delete(entry);
        response.socket?.destroy();
      }, holdMs);
    }
    this.held.add(entry);
  }

  async close(): Promise<void> {
    for (const { response, timer } of this.held) {
      clearTimeout(timer);
      response.socket?.destroy();
    }
    this.held.clear();
    await Promise.all([...this.served].map((deployment) => deployment.close()));
    this.served.clear();
    await this.voiceEdge?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Back to an empty sandbox: no state, no log, no faults, no latency. */
  reset(): void {
    this.state = emptyState();
    this.log = [];
    this.violations = [];
    this.faults.clear();
    this.latencyMs = this.options.latencyMs ?? 0;
    this.lastWebhook.clear();
    this.contents.clear();
    this.peakRequestsInFlight = 0;
    this.clock.reset();
    this.syncRate.clear();
    this.setLimits({ ...DEFAULT_LIMITS, ...this.options.limits });
    this.persist();
  }

  requestRules(): RequestRules {
    const now = this.clock.now();
    return {
      now,
      syncAccess: (objectSid, kind) => this.syncRate.access(objectSid, kind, now),
      subaccountLimit: this.limits.subaccountLimit,
    };
  }

  letTimePass(): void {
    if (deleteExpiredSubaccounts(this.state, this.clock.now())) this.persist();
  }

  setLimits(limits: Partial<SandboxLimits>): SandboxLimits {
    this.limits = { ...this.limits, ...limits };
    this.syncRate.enforced = this.limits.syncRateLimits;
    return this.limits;
  }

  /** Moves the sandbox clock forward, and lets Twilio do what that much time does; answers the new time. */
  advanceClock(ms: number): string {
    this.clock.advance(ms);
    this.letTimePass();
    return this.clock.nowIso();
  }

  /** Reads and writes of each Sync object so far, with the highest rates seen. */
  syncObjectUsage(): SyncObjectUsage[] {
    return this.syncRate.usage();
  }

  private change<T>(apply: (state: SandboxState) => T): T {
    const result = apply(this.state);
    this.persist();
    return result;
  }

  /** `npm start` moved the local service (or the sandbox) to another port: its URLs follow. */
  repointUrls(from: string, to: string): number {
    return this.change((state) => repointUrls(state, from, to));
  }

  seed(options?: SeedOptions): SeedResult {
    return this.change((state) => seed(state, options));
  }

  createAccount(options?: Parameters<typeof createAccount>[1]): Account {
    return this.change((state) => createAccount(state, options));
  }

  /**
   * A customer's own Twilio account, under no account of ours (`POST /__sandbox/accounts`): what they
   * hand over when they connect it, its SID and auth token. It starts with one number, as an account
   * with a phone line does.
   */
  createIndependentAccount(options: { friendlyName?: unknown } = {}): { sid: string; authToken: string } {
    const friendlyName = typeof options.friendlyName === 'string' ? options.friendlyName : undefined;
    return this.change((state) => {
      const account = createAccount(state, { friendlyName: friendlyName ?? 'Customer account' });
      addPhoneNumber(state, account.sid);
      return { sid: account.sid, authToken: account.authToken };
    });
  }

  addPhoneNumber(accountSid: string, options?: PhoneNumberOptions) {
    return this.change((state) => addPhoneNumber(state, accountSid, options));
  }

  addAvailableNumber(options?: Parameters<typeof addAvailableNumber>[1]) {
    return this.change((state) => addAvailableNumber(state, options));
  }

  addAddress(accountSid: string, isoCountry?: string) {
    return this.change((state) => addAddress(state, accountSid, isoCountry));
  }

  createCall(options: CallOptions) {
    return this.change((state) => createCall(state, options));
  }

  addUsage(options: UsageOptions) {
    return this.change((state) => addUsage(state, options));
  }

  /**
   * Gives the account a new auth token, as the Console's rotation does; the old one stops working at
   * once (the Console also offers a secondary token promoted later: the sandbox models the promotion).
   */
  rotateAuthToken(accountSid: string): string {
    return this.change((state) => {
      const account = state.accounts.find((a) => a.sid === accountSid);
      if (!account) throw new TwilioError(404, 20404, `Account ${accountSid} not found`);
      account.authToken = newSecret();
      account.dateUpdated = new Date(this.clock.now()).toISOString();
      return account.authToken;
    });
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  latency(): Promise<void> {
    const ms = this.latencyMs;
    return ms > 0 ? new Promise((resolve) => this.clock.after(ms, resolve)) : Promise.resolve();
  }

  failRequest(n: number, kind: FaultKind, options?: FaultOptions): void {
    this.faults.failRequest(n, kind, options);
  }

  setFaultRates(rates: FaultRates): void {
    this.faults.setRates(rates);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  requests(filter?: RequestFilter): LoggedRequest[] {
    return filterRequests(this.log, filter);
  }

  countRequests(filter?: RequestFilter): number {
    return this.requests(filter).length;
  }

  specViolations(): SpecViolation[] {
    return [...this.violations];
  }

  private async play(request: WebhookRequest & { callSid: string }): Promise<CallResult> {
    this.persist();
    const result = await sendWebhook(request);
    const callParams = this.lastWebhook.get(request.callSid)?.callParams ?? request.params;
    this.lastWebhook.set(request.callSid, { callParams, last: result, authToken: request.authToken });
    return { ...result, callSid: request.callSid, accountSid: request.params.AccountSid ?? '' };
  }

  /** Twilio's part in an inbound call to one of the sandbox's numbers. */
  async inboundCall(options: InboundCallOptions): Promise<CallResult> {
    const call = await this.play(prepareInboundCall(this.state, options));
    // With the calling edge, the TwiML is then played: <Dial><Client> rings the registered browsers.
    if (this.voiceEdge && call.response) void this.voiceEdge.playInbound(call);
    return call;
  }

  /** Twilio's part in an outgoing call from a browser client holding a Voice access token. */
  async outgoingClientCall(options: ClientCallOptions): Promise<CallResult> {
    return this.play(prepareClientCall(this.state, options));
  }

  /** Twilio's request to the `<Dial action>` of the call's last TwiML, once the dialled leg ends. */
  async followDialAction(callSid: string, outcome: DialOutcome): Promise<CallResult> {
    const last = this.lastWebhook.get(callSid);
    if (!last) throw new Error(`No webhook was played for call ${callSid}`);
    const request = prepareDialAction(last.last, last.authToken, outcome);
    return this.play({ ...request, callSid });
  }

  /**
   * Twilio's part as the call goes on from its last TwiML and ends (sandbox/calls/call-end.ts): with
   * `answeredSeconds` > 0 the `<Dial>`ed party answers (a child leg, a recording when the Dial asked for
   * one, its callback, the `<Dial action>`); then the call is `completed` with its duration and price,
   * and the App's StatusCallback hears of it. Answers what it did and the requests it made.
   */
  async completeCall(callSid: string, options: CompleteCallOptions = {}): Promise<CallEnded> {
    return this.endCall(callSid, (live) =>
      planCompleteCall(this.state, callSid, live, options, this.clock.now()),
    );
  }

  /** The caller leaves `seconds` of message at the `<Record>` of the call's last TwiML and hangs up. */
  async leaveVoicemail(callSid: string, options: VoicemailOptions): Promise<CallEnded> {
    return this.endCall(callSid, (live) =>
      planVoicemail(this.state, callSid, live, options, this.clock.now()),
    );
  }

  /**
   * The StatusCallback of a call that ended elsewhere (a call played on the calling edge): its record is
   * already final; Twilio then tells the App's StatusCallback, as `completeCall` does.
   */
  async reportCallEnded(callSid: string): Promise<WebhookResult[]> {
    const live = this.lastWebhook.get(callSid);
    const call = this.state.calls.find((candidate) => candidate.sid === callSid);
    if (!live || !call) return [];
    const sent: WebhookResult[] = [];
    for (const { request } of statusCallbackRequests(this.state, call, live))
      sent.push(await sendWebhook(request));
    return sent;
  }

  /**
   * The recording of a `<Dial record>` in the call's last TwiML whose dialled leg, played on the calling
   * edge, was answered for `seconds` (ending now): the recording, its callback, and what the Dial action
   * then carries.
   */
  async recordDial(callSid: string, seconds: number): Promise<Record<string, string>> {
    const live = this.lastWebhook.get(callSid);
    const call = this.state.calls.find((candidate) => candidate.sid === callSid);
    const dial = live?.last.response && findVerb(live.last.response, 'Dial');
    if (!live || !call || !dial) return {};
    const startMs = this.clock.now() - seconds * 1000;
    const recorded = this.change((state) => recordDialledLeg(state, call, dial, live, seconds, startMs));
    if (!recorded) return {};
    for (const { request } of recorded.requests) await sendWebhook(request);
    return recorded.actionParams;
  }

  private async endCall(callSid: string, plan: (live: LiveCall) => CallEndPlan): Promise<CallEnded> {
    const live = this.lastWebhook.get(callSid);
    if (!live) throw new Error(`No webhook was played for call ${callSid}`);
    // The state changes at once; the requests follow (each may make the service call the sandbox back).
    const { ending, requests } = this.change(() => plan(live));
    const webhooks: WebhookResult[] = [];
    for (const { kind, request } of requests) {
      if (kind === 'twiml') webhooks.push(await this.play({ ...request, callSid }));
      else webhooks.push(await sendWebhook(request));
    }
    return { ...ending, webhooks };
  }
}

/** What ending a call did, with each request Twilio made on the way (action, callbacks), in order. */
export interface CallEnded extends CallEnding {
  webhooks: WebhookResult[];
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return new Sandbox(options).listen();
}
