/**
 * `npm start` on a fresh clone: no Twilio account, no .env. It must come up, and the first command the
 * README and its own output suggest must work; a second start reuses the .env and the sandbox state.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freshClone, listening, npmStart, npmStartRefused, stop } from '../helpers/npm-start';
import { freePort } from '../../testkit/twilio-run-server';

/** Runs the curl command `npm start` printed under "Try first:" (with fetch) and returns its JSON. */
async function runFirstCommand(output: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const command = /curl -s -X POST (\S+) -H "Authorization: Bearer (\S+)"/.exec(output);
  if (!command) throw new Error(`no first command in the output:\n${output}`);
  const response = await fetch(command[1] as string, {
    method: 'POST',
    headers: { Authorization: `Bearer ${command[2]}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('npm start', () => {
  jest.setTimeout(120_000);

  it('comes up on a fresh clone with no Twilio account, and its first suggested command works', async () => {
    const clone = freshClone();
    const ports = { service: await freePort(), sandbox: await freePort() };

    const first = await npmStart(clone, ports);
    try {
      expect(first.output()).toContain('Wrote a local .env');
      expect(first.output()).toContain(`Service:         http://localhost:${ports.service}`);
      const answer = await runFirstCommand(first.output());
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'ok', mainAccount: { reachable: true } });
      expect(answer.body).toMatchObject({ config: { events: { configured: false } } });
      expect(first.output()).toContain('Events:          off (export EVENTS_WEBHOOK_URL');
      // Its softphone calls through the sandbox's calling edge, whose address it prints.
      const edge = /Calling edge:\s+ws:\/\/(\S+)/.exec(first.output())?.[1];
      expect(edge).toMatch(/^[\w.-]+:\d+$/);
      const softphone = await fetch(`http://localhost:${ports.service}/softphone.html`);
      expect(await softphone.text()).toContain(`content="${edge}"`);
    } finally {
      await stop(first);
    }
    // Both the service and the sandbox are gone, so their ports are free for the next start (the
    // sockets close as the processes exit: a wait for that, polled, with room for a busy machine).
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && ((await listening(ports.service)) || (await listening(ports.sandbox))))
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await listening(ports.service)).toBe(false);
    expect(await listening(ports.sandbox)).toBe(false);
    expect(existsSync(path.join(clone, '.sandbox/state.json'))).toBe(true);

    // The events webhook exported in the shell, as a developer points it at a receiver of the moment:
    // half of it alone is refused with a sentence before anything is built.
    const receiver = 'https://receiver.example.com/events';
    const half = await npmStartRefused(clone, ports, { EVENTS_WEBHOOK_URL: receiver });
    expect(half.code).not.toBe(0);
    expect(half.output).toContain('EVENTS_WEBHOOK_URL is set but EVENTS_WEBHOOK_SECRET is not');
    const second = await npmStart(clone, ports, {
      EVENTS_WEBHOOK_URL: receiver,
      EVENTS_WEBHOOK_SECRET: 's'.repeat(40),
    });
    try {
      expect(second.output()).toContain('Using the existing .env');
      expect(second.output()).toMatch(/dist\/ has the \d+ functions of this source already/);
      expect(second.output()).toContain(
        `Events:          posted to ${receiver} (EVENTS_WEBHOOK_URL from the shell)`,
      );
      const health = await runFirstCommand(second.output());
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ config: { events: { configured: true, url: receiver } } });
    } finally {
      await stop(second);
    }
  });
});
