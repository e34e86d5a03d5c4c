import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { mintTicket } from '../../src/tokens/mint-ticket';
import { verifyTicket } from '../../src/tokens/ticket';

const secret = randomBytes(32).toString('hex');
const accountSid = `AC${randomBytes(16).toString('hex')}`;
const now = Math.floor(Date.now() / 1000);

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with any header, signed with HMAC-SHA256 over whatever the header claims. */
function handMade(header: object, claims: object, key = secret): string {
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
}

const goodClaims = () => ({ sub: 'alice_01', acct: accountSid, exp: now + 300, iat: now });

function refusal(ticket: string, at = now) {
  try {
    verifyTicket(secret, ticket, at);
  } catch (error) {
    const { status, code, message } = error as { status: number; code: string; message: string };
    return { status, code, message };
  }
  throw new Error('the ticket was accepted');
}

describe('verifyTicket', () => {
  it('accepts a ticket minted as docs/tickets.md describes and returns its identity and subaccount', () => {
    const ticket = mintTicket(secret, { identity: 'alice_01', accountSid });
    expect(verifyTicket(secret, ticket, now)).toEqual({ identity: 'alice_01', accountSid });
  });

  it('refuses an expired ticket with ticket_expired', () => {
    const ticket = jwt.sign({ ...goodClaims(), exp: now - 60 }, secret, { algorithm: 'HS256' });
    expect(refusal(ticket)).toMatchObject({ status: 401, code: 'ticket_expired' });
  });

  it('refuses a ticket used before its nbf, naming the claim', () => {
    const ticket = jwt.sign({ ...goodClaims(), nbf: now + 120 }, secret, { algorithm: 'HS256' });
    expect(refusal(ticket)).toMatchObject({
      status: 401,
      code: 'ticket_not_yet_valid',
      message: expect.stringContaining('its nbf (not before) is in the future'),
    });
  });

  it('refuses a ticket issued in the future (iat beyond 60 s of skew), naming the claim', () => {
    for (const ahead of [61, 3600, 365 * 24 * 3600]) {
      const ticket = jwt.sign({ ...goodClaims(), iat: now + ahead }, secret, { algorithm: 'HS256' });
      expect(refusal(ticket)).toMatchObject({
        status: 401,
        code: 'ticket_not_yet_valid',
        message: expect.stringContaining('its iat (issued at) is in the future'),
      });
    }
    // Within the skew a back-end whose clock runs a little ahead still signs users in.
    const slightlyAhead = jwt.sign({ ...goodClaims(), iat: now + 60 }, secret, { algorithm: 'HS256' });
    expect(verifyTicket(secret, slightlyAhead, now)).toEqual({ identity: 'alice_01', accountSid });
  });

  it('refuses an iat that is not a time in seconds', () => {
    const ticket = handMade({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), iat: '2099-01-01' });
    expect(refusal(ticket)).toMatchObject({
      status: 401,
      code: 'ticket_invalid',
      message: expect.stringContaining('iat'),
    });
  });

  it('refuses a ticket signed with another secret', () => {
    const ticket = jwt.sign(goodClaims(), randomBytes(32).toString('hex'), { algorithm: 'HS256' });
    expect(refusal(ticket)).toEqual({
      status: 401,
      code: 'ticket_invalid',
      message: 'The ticket is not valid: its signature does not match.',
    });
  });

  it('refuses a ticket whose claims were changed after signing', () => {
    const [header, , signature] = mintTicket(secret, { identity: 'alice', accountSid }).split('.');
    const forged = `${header}.${base64url({ ...goodClaims(), sub: 'boss' })}.${signature}`;
    expect(refusal(forged)).toMatchObject({ status: 401, code: 'ticket_invalid' });
  });

  it('refuses alg "none", with or without a signature part', () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(goodClaims())}.`;
    expect(refusal(unsigned)).toMatchObject({
      code: 'ticket_invalid',
      message: expect.stringContaining('HS256'),
    });
    expect(refusal(handMade({ alg: 'none' }, goodClaims()))).toMatchObject({ code: 'ticket_invalid' });
  });

  it('refuses HS512 and HS384 even when signed with the right secret', () => {
    for (const algorithm of ['HS512', 'HS384'] as const) {
      const ticket = jwt.sign(goodClaims(), secret, { algorithm });
      expect(refusal(ticket)).toMatchObject({ status: 401, code: 'ticket_invalid' });
    }
  });

  it('refuses an RS256 header, whether signed with a private key or with the secret as HMAC key', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(refusal(jwt.sign(goodClaims(), privateKey, { algorithm: 'RS256' }))).toMatchObject({
      code: 'ticket_invalid',
    });
    // The classic confusion attack: an "RS256" token whose signature is an HMAC with a known value.
    expect(refusal(handMade({ alg: 'RS256', typ: 'JWT' }, goodClaims()))).toMatchObject({
      code: 'ticket_invalid',
    });
  });

  it('requires exp, and refuses one more than 24 hours ahead', () => {
    const withoutExp: Partial<ReturnType<typeof goodClaims>> = goodClaims();
    delete withoutExp.exp;
    expect(refusal(jwt.sign(withoutExp, secret, { algorithm: 'HS256' }))).toMatchObject({
      code: 'ticket_invalid',
      message: expect.stringContaining('exp'),
    });
    const tooLong = jwt.sign({ ...goodClaims(), exp: now + 25 * 3600 }, secret, { algorithm: 'HS256' });
    expect(refusal(tooLong)).toMatchObject({
      code: 'ticket_invalid',
      message: expect.stringContaining('24'),
    });
    const day = jwt.sign({ ...goodClaims(), exp: now + 24 * 3600 }, secret, { algorithm: 'HS256' });
    expect(verifyTicket(secret, day, now).identity).toBe('alice_01');
  });

  it.each([
    ['a space', 'alice smith'],
    ['an at sign', 'alice@example.com'],
    ['a hyphen', 'alice-01'],
    ['nothing', ''],
    ['122 characters', 'a'.repeat(122)],
  ])('refuses an identity with %s', (_what, identity) => {
    const ticket = jwt.sign({ ...goodClaims(), sub: identity }, secret, { algorithm: 'HS256' });
    expect(refusal(ticket)).toMatchObject({
      code: 'ticket_invalid',
      message: expect.stringContaining('sub'),
    });
  });

  it('accepts an identity of 121 letters, digits and underscores', () => {
    const identity = `A_9${'x'.repeat(118)}`;
    const ticket = mintTicket(secret, { identity, accountSid });
    expect(verifyTicket(secret, ticket, now).identity).toBe(identity);
  });

  it('refuses a missing or malformed acct', () => {
    for (const acct of [undefined, 'AC123', `CA${'0'.repeat(32)}`, `AC${'G'.repeat(32)}`]) {
      const ticket = jwt.sign({ ...goodClaims(), acct }, secret, { algorithm: 'HS256' });
      expect(refusal(ticket)).toMatchObject({
        code: 'ticket_invalid',
        message: expect.stringContaining('acct'),
      });
    }
  });

  it('refuses garbage and overlong input without echoing it', () => {
    const garbage = 'not-a-jwt-at-all';
    expect(refusal(garbage)).toMatchObject({ code: 'ticket_invalid' });
    expect(refusal(garbage).message).not.toContain(garbage);
    expect(refusal(`${mintTicket(secret, { identity: 'a', accountSid })}${'A'.repeat(5000)}`)).toMatchObject({
      code: 'ticket_invalid',
      message: expect.stringContaining('too long'),
    });
  });
});
