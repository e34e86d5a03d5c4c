import { createHmac, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { startSandbox, verifyVoiceToken, type Sandbox } from '../../sandbox';
import { handler } from '../../src/functions/token';
import { clearTenantCache } from '../../src/registry/tenant-cache';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { invokeFunction, type FunctionCall } from '../../testkit/function-runtime';
import { serviceEnv } from '../../testkit/service-env';
import { provisionTenant, sandboxEnv, type ProvisionedTenant } from '../../testkit/provision-tenant';

let sandbox: Sandbox;
let env: Record<string, string>;
let tenant: ProvisionedTenant;
let otherTenant: ProvisionedTenant;
let suspended: ProvisionedTenant;
let closed: ProvisionedTenant;
let provisioning: ProvisionedTenant;

const APP_ORIGIN = 'https://app.example.com';

beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox, serviceEnv({ ALLOWED_ORIGINS: APP_ORIGIN }));
  tenant = await provisionTenant(sandbox, env, { friendlyName: 'Acme' });
  otherTenant = await provisionTenant(sandbox, env, { friendlyName: 'Globex' });
  suspended = await provisionTenant(sandbox, env, { record: { status: 'suspended' } });
  closed = await provisionTenant(sandbox, env, { record: { status: 'closed' } });
  // Key and App in place, but its create has not finished: no tokens until it is active.
  provisioning = await provisionTenant(sandbox, env, { record: { status: 'provisioning' } });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => clearTenantCache());

const ticketFor = (who: ProvisionedTenant, identity = 'alice_01') =>
  mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity, accountSid: who.sid });

function postToken(call: Omit<FunctionCall, 'env'> = {}) {
  return invokeFunction(handler, { path: '/token', ...call, env });
}

const withTicket = (ticket: string, headers: Record<string, string> = {}) =>
  postToken({ headers: { authorization: `Bearer ${ticket}`, ...headers } });

type TokenAnswer = { token: string; identity: string; accountSid: string; ttl: number; expiresAt: string };
type ErrorAnswer = { error: { code: string; message: string } };

describe('POST /token', () => {
  it("answers a token for the ticket's identity, signed with its subaccount's own key, for its own App", async () => {
    const before = Date.now();
    const answer = await withTicket(ticketFor(tenant));
    expect(answer.statusCode).toBe(200);
    const body = answer.json<TokenAnswer>();
    expect(body).toMatchObject({
      identity: 'alice_01',
      accountSid: tenant.sid,
      ttl: 3600,
      callingPolicy: {
        allowedCountries: ['US'],
        blockedNumberTypes: ['premium_rate', 'shared_cost', 'uan', 'personal_number', 'pager', 'unknown'],
      },
    });

    const claims = jwt.verify(body.token, tenant.apiKeySecret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(claims.iss).toBe(tenant.apiKeySid);
    expect(claims.sub).toBe(tenant.sid);
    expect(claims.grants).toEqual({
      identity: 'alice_01',
      voice: { incoming: { allow: true }, outgoing: { application_sid: tenant.twimlAppSid } },
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    expect(Date.parse(body.expiresAt)).toBe((claims.exp ?? 0) * 1000);
    expect(Date.parse(body.expiresAt)).toBeGreaterThanOrEqual(before + 3599_000);
    expect(answer.headers['Cache-Control']).toBe('no-store');
  });

  it("is accepted by the sandbox's outgoing-call check as a client of that subaccount's App", async () => {
    const { token } = (await withTicket(ticketFor(tenant, 'bob'))).json<TokenAnswer>();
    expect(verifyVoiceToken(sandbox.state, token)).toMatchObject({
      accountSid: tenant.sid,
      keySid: tenant.apiKeySid,
      identity: 'bob',
      applicationSid: tenant.twimlAppSid,
    });
  });

  it('refuses a `ticket` parameter (it may have come from a URL) with where the ticket goes, never repeating or logging it', async () => {
    const ticket = ticketFor(tenant, 'carol');
    const logged = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      for (const headers of [{}, { authorization: `Bearer ${ticket}` }] as Record<string, string>[]) {
        const answer = await postToken({ body: { ticket }, headers });
        expect(answer.statusCode).toBe(400);
        expect(answer.json<ErrorAnswer>().error).toEqual({
          code: 'ticket_in_parameters',
          message: expect.stringContaining('"Authorization: Bearer <ticket>"'),
        });
        expect(answer.text).not.toContain(ticket);
      }
      const output = [...logged.mock.calls, ...printed.mock.calls].flat().map(String).join('\n');
      expect(output).not.toContain(ticket);
    } finally {
      logged.mockRestore();
      printed.mockRestore();
    }
  });

  it('gives each tenant tokens of its own key and App, never another tenant’s', async () => {
    const mine = (await withTicket(ticketFor(tenant))).json<TokenAnswer>();
    const theirs = (await withTicket(ticketFor(otherTenant))).json<TokenAnswer>();
    const theirClaims = jwt.decode(theirs.token) as jwt.JwtPayload;
    expect(theirClaims.iss).toBe(otherTenant.apiKeySid);
    expect(theirClaims.grants.voice.outgoing.application_sid).toBe(otherTenant.twimlAppSid);
    expect(() => jwt.verify(mine.token, otherTenant.apiKeySecret)).toThrow('invalid signature');
    expect(() => jwt.verify(theirs.token, tenant.apiKeySecret)).toThrow('invalid signature');
  });

  it('refuses a subaccount this service does not serve with 403 subaccount_unknown', async () => {
    const stranger = sandbox.createAccount({ ownerAccountSid: env.ACCOUNT_SID, friendlyName: 'not ours' });
    const answer = await withTicket(
      mintTicket(env.TOKEN_TICKET_SECRET ?? '', { identity: 'alice', accountSid: stranger.sid }),
    );
    expect(answer.statusCode).toBe(403);
    expect(answer.json<ErrorAnswer>().error.code).toBe('subaccount_unknown');
  });

  it.each([
    ['suspended', 'subaccount_suspended', () => suspended],
    ['closed', 'subaccount_closed', () => closed],
    ['provisioning', 'subaccount_not_ready', () => provisioning],
  ])('refuses a %s subaccount with 403 %s', async (_status, code, who) => {
    const answer = await withTicket(ticketFor(who()));
    expect(answer.statusCode).toBe(403);
    expect(answer.json<ErrorAnswer>().error.code).toBe(code);
    expect(answer.text).not.toMatch(/"token"/);
  });

  describe('refuses bad tickets with 401 and a code a page can act on', () => {
    const secret = () => env.TOKEN_TICKET_SECRET ?? '';
    const claims = () => ({ sub: 'alice', acct: tenant.sid });

    it.each([
      ['no ticket', () => undefined, 'ticket_missing'],
      [
        'an expired ticket',
        () => jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 60 }, secret()),
        'ticket_expired',
      ],
      [
        'a forged ticket',
        () => jwt.sign(claims(), randomBytes(32).toString('hex'), { expiresIn: 60 }),
        'ticket_invalid',
      ],
      [
        'alg none',
        () =>
          `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
            JSON.stringify({ ...claims(), exp: Math.floor(Date.now() / 1000) + 60 }),
          ).toString('base64url')}.`,
        'ticket_invalid',
      ],
      [
        'a ticket issued a year from now (iat)',
        () => {
          const yearAhead = Math.floor(Date.now() / 1000) + 365 * 24 * 3600;
          return jwt.sign(
            { ...claims(), iat: yearAhead, exp: Math.floor(Date.now() / 1000) + 600 },
            secret(),
          );
        },
        'ticket_not_yet_valid',
      ],
      [
        'a ticket valid only from an hour from now (nbf)',
        () =>
          jwt.sign({ ...claims(), nbf: Math.floor(Date.now() / 1000) + 3600 }, secret(), { expiresIn: 7200 }),
        'ticket_not_yet_valid',
      ],
      ['HS512', () => jwt.sign(claims(), secret(), { algorithm: 'HS512', expiresIn: 60 }), 'ticket_invalid'],
      [
        'an RS256 header over an HMAC',
        () => {
          const input = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(
            JSON.stringify({ ...claims(), exp: Math.floor(Date.now() / 1000) + 60 }),
          ).toString('base64url')}`;
          return `${input}.${createHmac('sha256', secret()).update(input).digest('base64url')}`;
        },
        'ticket_invalid',
      ],
    ])('%s', async (_what, makeTicket, code) => {
      const ticket = makeTicket();
      const answer = ticket ? await withTicket(ticket) : await postToken();
      expect(answer.statusCode).toBe(401);
      const { error } = answer.json<ErrorAnswer>();
      expect(error.code).toBe(code);
      if (ticket) expect(answer.text).not.toContain(ticket);
    });
  });

  it('gives a shorter lifetime when asked, and refuses one over 24 hours naming ttl', async () => {
    const bearer = { authorization: `Bearer ${ticketFor(tenant)}` };
    const short = await postToken({ headers: bearer, body: { ttl: '120' } });
    expect(short.json<TokenAnswer>().ttl).toBe(120);
    const claims = jwt.decode(short.json<TokenAnswer>().token) as jwt.JwtPayload;
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(120);

    const tooLong = await postToken({ headers: bearer, body: { ttl: 86401 } });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({ error: { code: 'invalid_parameter', parameter: 'ttl' } });
  });

  it('makes no Twilio REST call once warm', async () => {
    await withTicket(ticketFor(tenant));
    const before = sandbox.countRequests();
    for (let i = 0; i < 5; i++) expect((await withTicket(ticketFor(tenant))).statusCode).toBe(200);
    expect(sandbox.countRequests()).toBe(before);
  });

  it('sends Twilio only requests its OpenAPI description allows', () => {
    expect(sandbox.specViolations()).toEqual([]);
  });

  describe('CORS', () => {
    it('lets an allowed origin read the answer, and says answers vary by origin', async () => {
      const answer = await withTicket(ticketFor(tenant), { origin: APP_ORIGIN });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['Access-Control-Allow-Origin']).toBe(APP_ORIGIN);
      expect(answer.headers.Vary).toBe('Origin');
    });

    it('lets an allowed origin read a refusal too, so the page can show why', async () => {
      const answer = await withTicket('garbage', { origin: APP_ORIGIN });
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['Access-Control-Allow-Origin']).toBe(APP_ORIGIN);
    });

    it("allows the service's own origin, which serves the softphone page", async () => {
      const answer = await withTicket(ticketFor(tenant), { origin: 'https://voice.example.com' });
      expect(answer.headers['Access-Control-Allow-Origin']).toBe('https://voice.example.com');
    });

    it('refuses any other origin with 403 before minting a token', async () => {
      const answer = await withTicket(ticketFor(tenant), { origin: 'https://evil.example.net' });
      expect(answer.statusCode).toBe(403);
      expect(answer.json<ErrorAnswer>().error.code).toBe('origin_not_allowed');
      expect(answer.headers['Access-Control-Allow-Origin']).toBeUndefined();
      expect(answer.text).not.toMatch(/"token"/);
      expect(answer.json<ErrorAnswer>().error.message).toContain('https://evil.example.net');
    });

    it('does not echo an Origin header that is not an origin (caller-controlled text)', async () => {
      const junk = `<script>${'x'.repeat(5000)}`;
      const answer = await withTicket(ticketFor(tenant), { origin: junk });
      expect(answer.statusCode).toBe(403);
      expect(answer.text).not.toContain('<script>');
      expect(answer.text.length).toBeLessThan(500);
    });

    it('answers the preflight of an allowed origin (an OPTIONS arrives as an event without body)', async () => {
      const answer = await postToken({
        headers: {
          origin: APP_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(answer.statusCode).toBe(204);
      expect(answer.headers).toMatchObject({
        'Access-Control-Allow-Origin': APP_ORIGIN,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        Vary: 'Origin',
      });
    });

    it('refuses the preflight of another origin', async () => {
      const answer = await postToken({
        headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
      });
      expect(answer.statusCode).toBe(403);
      expect(answer.headers['Access-Control-Allow-Origin']).toBeUndefined();
    });
  });
});
