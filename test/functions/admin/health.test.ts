import { handler } from '../../../src/functions/admin/health';
import { postAdmin } from '../../../testkit/admin-http';
import { invokeFunction } from '../../../testkit/function-runtime';
import { useSandbox } from '../../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../../testkit/service-env';
import { serveDist, type ServedService } from '../../../testkit/twilio-run-server';
import { expectNoSecret, secretsOf, showsPartOf } from '../../evidence/public-endpoint-checks';

describe('POST /admin/health', () => {
  const sandbox = useSandbox();

  function envFor(overrides: Record<string, string> = {}) {
    const main = sandbox().seed();
    return serviceEnv({
      ACCOUNT_SID: main.accountSid,
      AUTH_TOKEN: main.authToken,
      TWILIO_API_BASE_URL: sandbox().baseUrl,
      ...overrides,
    });
  }

  it('reports the main account reachable and of each secret only the shape it was checked against', async () => {
    const env = envFor();
    const answer = await invokeFunction(handler, {
      env,
      headers: { Authorization: `Bearer ${adminKeyOf(env)}` },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({
      status: 'ok',
      mainAccount: { reachable: true, sid: env.ACCOUNT_SID, status: 'active' },
      config: { accountSid: env.ACCOUNT_SID, publicBaseUrl: env.PUBLIC_BASE_URL, syncServiceSid: 'default' },
    });
    const wellFormed = { shape: expect.any(String) };
    const { config } = answer.json<{ config: Record<string, unknown> }>();
    expect(config.authToken).toEqual(wellFormed);
    expect(config.adminApiKeys).toEqual({ ...wellFormed, count: 1 });
    expect(config.tokenTicketSecret).toEqual(wellFormed);
    expect(config.registryEncryptionKey).toEqual(wellFormed);
    // Not a character run of any secret anywhere in the answer (the shapes are fixed words).
    expectNoSecret(answer.text, secretsOf(env, []), 'the health report');
    expect(JSON.stringify([config.authToken, config.tokenTicketSecret])).not.toMatch(/[0-9a-f]{4}/);
    expect(sandbox().countRequests({ path: `/2010-04-01/Accounts/${env.ACCOUNT_SID}.json` })).toBe(1);
    expect(config.events).toEqual({ configured: false });
  });

  it('says whether events are configured, and where they go, without the query string a receiver may put a token in', async () => {
    const env = {
      ...envFor(),
      EVENTS_WEBHOOK_URL: 'https://backend.example.com/hooks/voice?token=receiver-secret',
      EVENTS_WEBHOOK_SECRET: 'e'.repeat(40),
    };
    const answer = await invokeFunction(handler, {
      env,
      headers: { Authorization: `Bearer ${adminKeyOf(env)}` },
    });
    expect(answer.json<{ config: { events: unknown } }>().config.events).toEqual({
      configured: true,
      url: 'https://backend.example.com/hooks/voice',
    });
    expect(answer.text).not.toContain('receiver-secret');
    expect(answer.text).not.toContain('e'.repeat(12));
  });

  it('is checked with a test that would have caught the last four characters it used to show', () => {
    const token = 'f'.repeat(28) + 'c0de';
    expect(showsPartOf(`{"authToken":"…c0de (32 chars)"}`, token)).toBe(true);
    expect(showsPartOf(`{"key":"${token.slice(10, 22)}"}`, token)).toBe(true);
    expect(showsPartOf(`{"sid":"AC${'0'.repeat(28)}c0de"}`, token)).toBe(false);
  });

  it('answers 503 with a reason when the main account refuses the credentials', async () => {
    const env = envFor();
    const answer = await invokeFunction(handler, {
      env: { ...env, AUTH_TOKEN: 'f'.repeat(32) },
      headers: { Authorization: `Bearer ${adminKeyOf(env)}` },
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({
      status: 'degraded',
      mainAccount: { reachable: false, error: { code: 'twilio_credentials_refused' } },
    });
  });

  it('refuses a missing or wrong admin key with 401 and calls nobody', async () => {
    const env = envFor();
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong-key-wrong-key-wrong-key-wrong' },
    ];
    for (const headers of attempts) {
      const answer = await invokeFunction(handler, { env, headers });
      expect(answer.statusCode).toBe(401);
      expect(answer.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
    expect(sandbox().countRequests()).toBe(0);
  });

  it('names the misconfigured variable instead of failing obscurely', async () => {
    const env = envFor({ ACCOUNT_SID: 'AC-not-a-sid' });
    const answer = await invokeFunction(handler, {
      env,
      headers: { Authorization: `Bearer ${adminKeyOf(env)}` },
    });
    expect(answer.statusCode).toBe(500);
    expect(answer.json()).toMatchObject({
      error: { code: 'configuration_invalid', variables: ['ACCOUNT_SID'] },
    });
  });

  describe('over HTTP through twilio-run on dist', () => {
    let service: ServedService | undefined;
    afterEach(async () => service?.stop());

    it('answers an admin with the health report, and a stranger with 401', async () => {
      const env = envFor();
      service = await serveDist(env);
      const ok = await postAdmin(
        service.url,
        '/admin/health',
        {},
        { Authorization: `Bearer ${adminKeyOf(env)}` },
      );
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/application\/json/);
      expect(ok.body).toMatchObject({ status: 'ok', mainAccount: { reachable: true } });

      const refused = await postAdmin(service.url, '/admin/health', {});
      expect(refused.status).toBe(401);
      expect(service.output()).not.toContain(env.AUTH_TOKEN);
    });
  });
});
