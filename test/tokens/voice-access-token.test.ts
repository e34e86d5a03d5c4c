import { createSecretKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import AccessToken from 'twilio/lib/jwt/AccessToken';
import { signVoiceAccessToken } from '../../src/tokens/voice-access-token';

const accountSid = `AC${randomBytes(16).toString('hex')}`;
const keySid = `SK${randomBytes(16).toString('hex')}`;
const keySecret = randomBytes(16).toString('hex');
const applicationSid = `AP${randomBytes(16).toString('hex')}`;

/** The platform's own way: twilio's AccessToken with a VoiceGrant, as Twilio's docs show it. */
function twilioToken(identity: string, ttl: number): string {
  const token = new AccessToken(accountSid, keySid, keySecret, { identity, ttl });
  token.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: applicationSid }));
  return token.toJwt();
}

function ourToken(identity: string, ttl: number, nowSeconds: number): string {
  return signVoiceAccessToken({
    accountSid,
    keySid,
    signingKey: createSecretKey(Buffer.from(keySecret, 'utf8')),
    applicationSid,
    identity,
    ttlSeconds: ttl,
    nowSeconds,
  });
}

describe('signVoiceAccessToken', () => {
  afterEach(() => jest.useRealTimers());

  it("builds byte for byte the token twilio's AccessToken builds for the same inputs and second", () => {
    jest.useFakeTimers({ now: new Date('2026-05-04T10:20:30.400Z') });
    const nowSeconds = Math.floor(Date.now() / 1000);
    const theirs = twilioToken('alice_01', 1800);
    const ours = ourToken('alice_01', 1800, nowSeconds);
    expect(ours).toBe(theirs);
  });

  it('has the header and claims a Voice access token needs, and verifies with the key secret', () => {
    // One second for both: twilio's AccessToken (lib/jwt/AccessToken.js, toJwt) reads the clock for
    // `jti` and jsonwebtoken again for `iat`, so on the real clock the two can straddle a second.
    jest.useFakeTimers({ now: new Date('2026-05-04T10:20:30.999Z') });
    const nowSeconds = Math.floor(Date.now() / 1000);
    const ours = ourToken('bob', 3600, nowSeconds);
    const theirs = twilioToken('bob', 3600);
    const decodedOurs = jwt.decode(ours, { complete: true });
    const decodedTheirs = jwt.decode(theirs, { complete: true });
    expect(decodedOurs?.header).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(decodedOurs?.header).toEqual(decodedTheirs?.header);
    expect(decodedOurs?.payload).toEqual({
      jti: `${keySid}-${nowSeconds}`,
      iss: keySid,
      sub: accountSid,
      iat: nowSeconds,
      exp: nowSeconds + 3600,
      grants: {
        identity: 'bob',
        voice: { incoming: { allow: true }, outgoing: { application_sid: applicationSid } },
      },
    });
    // Same claims as twilio's, apart from the second each was made in.
    const { iat, exp, jti, ...theirClaims } = decodedTheirs?.payload as jwt.JwtPayload;
    expect((exp ?? 0) - (iat ?? 0)).toBe(3600);
    expect(jti).toBe(`${keySid}-${iat}`);
    expect(decodedOurs?.payload).toMatchObject(theirClaims);

    expect(() => jwt.verify(ours, keySecret, { algorithms: ['HS256'] })).not.toThrow();
    expect(() => jwt.verify(ours, randomBytes(16).toString('hex'), { algorithms: ['HS256'] })).toThrow(
      'invalid signature',
    );
  });
});
