/**
 * The company's back-end in the tests: a loopback server that receives the service's events and checks
 * each signature with the verifier docs/events.md documents (the snippet itself, read from the file).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import type { ServiceEvent } from '../../src/events/event';
import { SIGNATURE_HEADER } from '../../src/events/signature';
import { startRecordingServer } from './recording-server';

export type VerifyEvent = (
  rawBody: string,
  header: string | undefined,
  secret: string,
  toleranceSeconds?: number,
  nowSeconds?: number,
) => boolean;

/** `verifyEvent` exactly as docs/events.md shows it to receivers. */
export function documentedVerifier(): VerifyEvent {
  const doc = readFileSync(path.join(__dirname, '../../docs/events.md'), 'utf8');
  const snippet = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!snippet) throw new Error('docs/events.md has no js snippet');
  return runInNewContext(`${snippet}\nverifyEvent`, { require, Buffer }) as VerifyEvent;
}

export interface ReceivedEvent {
  event: ServiceEvent;
  /** Whether the documented verifier accepted it. */
  verified: boolean;
}

/**
 * Answers `status()` (200 unless changed; `hang` never answers) and keeps what it got. Only events
 * whose signature verified are answered with a 2xx.
 */
export async function startEventReceiver(secret: string) {
  const verify = documentedVerifier();
  let status: number | 'hang' = 200;
  const received: ReceivedEvent[] = [];
  const server = await startRecordingServer((request, response) => {
    const header = request.headers[SIGNATURE_HEADER.toLowerCase()];
    const verified = verify(request.body, typeof header === 'string' ? header : undefined, secret);
    received.push({ event: JSON.parse(request.body) as ServiceEvent, verified });
    if (status === 'hang') return;
    response.writeHead(verified ? status : 400).end();
  });
  return {
    url: `${server.url}/events`,
    received,
    /** The events received of `type`, in order. */
    ofType: (type: string) => received.filter((got) => got.event.type === type),
    answerWith(next: number | 'hang') {
      status = next;
    },
    close: server.close,
  };
}

export type EventReceiver = Awaited<ReturnType<typeof startEventReceiver>>;
