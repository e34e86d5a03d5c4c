import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, TwilioError } from './rest/errors';
import type { Sandbox } from './sandbox';
import { sidSource } from '../src/vocabulary';

/** Paths under this prefix drive the sandbox itself; no Twilio API lives there. */
export const CONTROL_PREFIX = '/__sandbox/';

type Control = (sandbox: Sandbox, body: Record<string, unknown>, id: string | undefined) => unknown;

const CONTROLS: Record<string, Control> = {
  'POST seed': (sandbox, body) => sandbox.seed(body),
  'POST reset': (sandbox) => sandbox.reset(),
  'POST accounts': (sandbox, body) => sandbox.createIndependentAccount(body),
  'POST accounts/auth-token': (sandbox, _body, id) => ({ authToken: sandbox.rotateAuthToken(id ?? '') }),
  'POST latency': (sandbox, body) => sandbox.setLatency(Number(body.ms ?? 0)),
  'POST faults': (sandbox, body) =>
    sandbox.failRequest(Number(body.n ?? 1), body.kind as never, {
      match: body.match as never,
      holdMs: body.holdMs as number | undefined,
    }),
  'POST fault-rates': (sandbox, body) => sandbox.setFaultRates(body),
  'DELETE faults': (sandbox) => sandbox.clearFaults(),
  'POST limits': (sandbox, body) => sandbox.setLimits(body),
  'POST clock': (sandbox, body) =>
    sandbox.advanceClock(
      Number(body.advanceSeconds ?? 0) * 1000 + Number(body.advanceDays ?? 0) * 86_400_000,
    ),
  'GET sync-usage': (sandbox) => sandbox.syncObjectUsage(),
  'GET serverless': (sandbox) => sandbox.serverlessRecord(),
  'GET requests': (sandbox) => sandbox.requests(),
  'GET violations': (sandbox) => sandbox.specViolations(),
  'POST calls/inbound': (sandbox, body) => sandbox.inboundCall(body as never),
  'POST calls/client': (sandbox, body) => sandbox.outgoingClientCall(body as never),
  'POST calls/dial-action': (sandbox, body, id) => sandbox.followDialAction(id ?? '', body as never),
  // The calling edge, when started: where the SDK connects, the DTMF digits received, what it did.
  'GET voice-edge': (sandbox) =>
    sandbox.voiceEdge && {
      host: sandbox.voiceEdge.host,
      digits: sandbox.voiceEdge.digits,
      events: sandbox.voiceEdge.events,
    },
  'POST calls/complete': (sandbox, body, id) => sandbox.completeCall(id ?? '', body),
  'POST calls/voicemail': (sandbox, body, id) => sandbox.leaveVoicemail(id ?? '', body as never),
};

const CALL_STEP_PATH = new RegExp(`^calls/(${sidSource('CA')})/(dial-action|complete|voicemail)$`);
const ACCOUNT_STEP_PATH = new RegExp(`^accounts/(${sidSource('AC')})/(auth-token)$`);

/**
 * `/__sandbox/calls/CA.../<step>` and `/__sandbox/accounts/AC.../<step>` name their call or account in
 * the path; other controls have fixed paths.
 */
function controlName(method: string, path: string): { name: string; id?: string } {
  const step = CALL_STEP_PATH.exec(path);
  if (step) return { name: `${method} calls/${step[2]}`, id: step[1] };
  const accountStep = ACCOUNT_STEP_PATH.exec(path);
  if (accountStep) return { name: `${method} accounts/${accountStep[2]}`, id: accountStep[1] };
  return { name: `${method} ${path}` };
}

/** JSON in, JSON out: the HTTP face of the Sandbox methods, for the CLI and a separately running sandbox. */
export async function handleControl(
  sandbox: Sandbox,
  request: IncomingMessage,
  response: ServerResponse,
  rawBody: string,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://sandbox').pathname.slice(CONTROL_PREFIX.length);
  const { name, id } = controlName(request.method ?? 'GET', path);
  const control = CONTROLS[name];
  const reply = (status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? null));
  if (!control) {
    reply(404, { error: `No sandbox control ${name}` });
    return;
  }
  try {
    const body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
    reply(200, await control(sandbox, body, id));
  } catch (error) {
    if (error instanceof TwilioError) reply(error.status, errorBody(error));
    else reply(400, { error: (error as Error).message });
  }
}
