/**
 * Genuine and forged webhook requests against the signature check, through the real event
 * construction of the Functions runtime. The main account's own calls need no Twilio request, so the
 * /voice handler itself is the subject: accepted requests get TwiML, forged ones 403.
 */
import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { handler as voice } from '../../src/functions/voice';
import { handler as dialStatus } from '../../src/functions/voice/dial-status';
import { invokeFunction, type FunctionCall } from '../helpers/function-runtime';
import { serviceEnv } from '../helpers/service-env';
import { callParams } from '../helpers/signed-webhook';
import { verbsOf } from '../helpers/twiml';

const env = serviceEnv({ PUBLIC_BASE_URL: 'https://voice.example.com' });
const token = env.AUTH_TOKEN as string;
const params = (extra: Record<string, string | string[]> = {}) => ({
  ...callParams({ accountSid: env.ACCOUNT_SID as string, from: 'client:alice', to: 'bob' }),
  ...extra,
});

/** A request to `path` whose signature Twilio computed over `signedUrl` and `signedParams`. */
function request(
  path: string,
  signedUrl: string,
  signedParams: Record<string, string | string[]>,
  sent: Partial<FunctionCall> = {},
): FunctionCall {
  const signature = getExpectedTwilioSignature(token, signedUrl, signedParams);
  return { env, path, body: signedParams, headers: { 'X-Twilio-Signature': signature }, ...sent };
}

async function expectAccepted(call: FunctionCall, handler = voice) {
  const answer = await invokeFunction(handler, call);
  expect(answer.statusCode).toBe(200);
  expect(verbsOf(answer.text)).not.toEqual([]);
}

async function expectForbidden(call: FunctionCall, handler = voice) {
  const answer = await invokeFunction(handler, call);
  expect(answer.statusCode).toBe(403);
}

describe('genuine requests are accepted', () => {
  it('POSTed parameters signed over the public URL', async () => {
    await expectAccepted(request('/voice', 'https://voice.example.com/voice', params()));
  });

  it('signed over the URL with its default port', async () => {
    await expectAccepted(request('/voice', 'https://voice.example.com:443/voice', params()));
  });

  it('with parameters on the URL query string, signed as part of the URL', async () => {
    const query = { attempt: '2', note: "a b+c/é'" };
    const url = `https://voice.example.com/voice/dial-status?${new URLSearchParams(query).toString()}`;
    const posted = params({ DialCallStatus: 'completed' });
    await expectAccepted(request('/voice/dial-status', url, posted, { query }), dialStatus);
    // Written by hand (encodeURIComponent's escaping), with %20 for the space rather than +.
    const handWritten = "https://voice.example.com/voice/dial-status?attempt=2&note=a%20b%2Bc%2F%C3%A9'";
    await expectAccepted(request('/voice/dial-status', handWritten, posted, { query }), dialStatus);
  });

  it('with a repeated query parameter, in URL order', async () => {
    const url = 'https://voice.example.com/voice?tag=b&tag=a';
    await expectAccepted(request('/voice', url, params(), { query: { tag: ['b', 'a'] } }));
  });

  it('with a repeated posted parameter', async () => {
    await expectAccepted(request('/voice', 'https://voice.example.com/voice', params({ Tag: ['x', 'y'] })));
  });

  it('with unicode in posted values', async () => {
    const url = 'https://voice.example.com/voice';
    await expectAccepted(request('/voice', url, params({ CallerName: 'Zoë Ångström 日本 😀' })));
  });

  it('as a GET: every parameter on the URL, none posted', async () => {
    const all = callParams({ accountSid: env.ACCOUNT_SID as string, from: 'client:alice', to: 'bob' });
    const url = `https://voice.example.com/voice?${new URLSearchParams(all).toString()}`;
    await expectAccepted(request('/voice', url, {}, { query: all, body: {} }));
  });
});

describe('forged requests are refused with 403', () => {
  const url = 'https://voice.example.com/voice';

  it('signed with another token', async () => {
    const call = request('/voice', url, params());
    const forged = getExpectedTwilioSignature(randomBytes(16).toString('hex'), url, params());
    await expectForbidden({ ...call, headers: { 'X-Twilio-Signature': forged } });
  });

  it('with a changed, an added or a removed parameter', async () => {
    const call = request('/voice', url, params());
    await expectForbidden({ ...call, body: { ...call.body, To: 'mallory' } });
    await expectForbidden({ ...call, body: { ...call.body, CallerId: '+14155550100' } });
    const withoutTo = Object.fromEntries(Object.entries(call.body ?? {}).filter(([name]) => name !== 'To'));
    await expectForbidden({ ...call, body: withoutTo });
  });

  it('replayed to another path', async () => {
    const genuine = request('/voice', url, params({ DialCallStatus: 'completed' }));
    await expectForbidden({ ...genuine, path: '/voice/dial-status' }, dialStatus);
  });

  it('signed for another host', async () => {
    await expectForbidden(request('/voice', 'https://attacker.example.com/voice', params()));
  });

  it('with a query parameter the signed URL did not have', async () => {
    await expectForbidden(request('/voice', url, params(), { query: { attempt: '2' } }));
  });

  it('with a query parameter value changed', async () => {
    const signed = request('/voice', `${url}?attempt=2`, params(), { query: { attempt: '2' } });
    await expectForbidden({ ...signed, query: { attempt: '3' } });
  });

  it('with an empty or garbage signature', async () => {
    for (const signature of ['', 'x', 'A'.repeat(28)]) {
      await expectForbidden({
        ...request('/voice', url, params()),
        headers: { 'X-Twilio-Signature': signature },
      });
    }
  });
});
