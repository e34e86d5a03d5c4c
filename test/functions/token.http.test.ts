import jwt from 'jsonwebtoken';
import { findVerb, type Sandbox } from '../../sandbox';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { defined } from '../helpers/sandbox';
import { startLocalService } from '../../testkit/local-service';
import type { ServedService } from '../../testkit/twilio-run-server';
import { provisionTenant, type ProvisionedTenant } from '../../testkit/provision-tenant';

const APP_ORIGIN = 'https://app.example.com';

let sandbox: Sandbox;
let service: ServedService;
let env: Record<string, string>;
let tenant: ProvisionedTenant;

let stopLocalService: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({
    sandbox,
    service,
    env,
    stop: stopLocalService,
  } = await startLocalService({ ALLOWED_ORIGINS: APP_ORIGIN, DEBUG: 'voice-service:*' }));
  tenant = await provisionTenant(sandbox, env);
});

afterAll(() => stopLocalService?.());

function postToken(ticket: string, origin?: string) {
  return fetch(`${service.url}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${ticket}`,
      'Content-Type': 'application/json',
      ...(origin ? { Origin: origin } : {}),
    },
    body: JSON.stringify({ ttl: 600 }),
  });
}

describe('POST /token over HTTP (twilio-run on dist, sandbox)', () => {
  it('answers a token for an allowed origin with CORS, no-store and Vary headers', async () => {
    const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', {
      identity: 'dana',
      accountSid: tenant.sid,
    });
    const response = await postToken(ticket, APP_ORIGIN);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('vary')).toBe('Origin');
    const body = (await response.json()) as { token: string; ttl: number; identity: string };
    expect(body).toMatchObject({ identity: 'dana', ttl: 600 });
    const claims = jwt.verify(body.token, tenant.apiKeySecret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ iss: tenant.apiKeySid, sub: tenant.sid });

    // Neither the ticket nor the token reaches the logs, even with debug logging on.
    expect(service.output()).not.toContain(ticket);
    expect(service.output()).not.toContain(body.token);
  });

  it('refuses another origin and a forged ticket as JSON, logging neither', async () => {
    const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', {
      identity: 'dana',
      accountSid: tenant.sid,
    });
    const refused = await postToken(ticket, 'https://evil.example.net');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    await expect(refused.json()).resolves.toMatchObject({ error: { code: 'origin_not_allowed' } });

    const forged = mintTicket('x'.repeat(64), { identity: 'dana', accountSid: tenant.sid });
    const unauthorized = await postToken(forged, APP_ORIGIN);
    expect(unauthorized.status).toBe(401);
    await expect(unauthorized.json()).resolves.toMatchObject({ error: { code: 'ticket_invalid' } });
    expect(service.output()).not.toContain(forged);
  });

  it("is accepted by Twilio's outgoing-call check, whose webhook reaches /voice and dials", async () => {
    const ticket = mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'dana', accountSid: tenant.sid });
    const { token } = (await (await postToken(ticket, APP_ORIGIN)).json()) as { token: string };
    const call = await sandbox.outgoingClientCall({ token, to: '+14155550123' });
    expect(call.url).toBe(`${service.url}/voice`);
    expect(call.params).toMatchObject({ AccountSid: tenant.sid, From: 'client:dana', To: '+14155550123' });
    expect(call.status).toBe(200);
    const twiml = defined(call.response);
    expect(findVerb(twiml, 'Dial')?.attributes.callerId).toBe(tenant.numbers[0]);
    expect(findVerb(twiml, 'Number')?.text).toBe('+14155550123');
  });
});
