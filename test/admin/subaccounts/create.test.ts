import { handler as create } from '../../../src/functions/admin/subaccounts/create';
import { invokeFunction } from '../../../testkit/function-runtime';
import { useSandbox } from '../../helpers/sandbox';
import { adminKeyOf, serviceEnv } from '../../../testkit/service-env';

describe('create without an idempotencyKey', () => {
  const sandbox = useSandbox();

  it('fails half-way with the generated key in the error, and retrying with it finishes the same subaccount', async () => {
    const main = sandbox().seed();
    const env = serviceEnv({
      ACCOUNT_SID: main.accountSid,
      AUTH_TOKEN: main.authToken,
      TWILIO_API_BASE_URL: sandbox().baseUrl,
    });
    const call = (body: Record<string, unknown>) =>
      invokeFunction(create, { env, body, headers: { authorization: `Bearer ${adminKeyOf(env)}` } });
    // Twilio fails the API key request, after the subaccount exists.
    sandbox().failRequest(1, '500', { match: { method: 'POST', path: /\/Keys\.json$/ } });

    const failed = await call({ friendlyName: 'Acme Dental' });
    expect(failed.statusCode).toBe(502);
    const { error } = failed.json<{ error: { idempotencyKey?: string; message: string } }>();
    expect(error.message).toContain('retry with the same idempotencyKey');
    expect(error.idempotencyKey).toEqual(expect.any(String));
    const subaccounts = () =>
      sandbox().state.accounts.filter((account) => account.ownerAccountSid === main.accountSid);
    expect(subaccounts()).toHaveLength(1);

    const retried = await call({ friendlyName: 'Acme Dental', idempotencyKey: error.idempotencyKey });
    expect(retried.statusCode).toBe(201);
    expect(subaccounts()).toHaveLength(1);
    expect(retried.json()).toMatchObject({ subaccount: { sid: subaccounts()[0]?.sid, status: 'active' } });
  });
});
