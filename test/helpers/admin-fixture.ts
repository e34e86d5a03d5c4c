import { startSandbox, type Sandbox } from '../../sandbox';
import { handler as create } from '../../src/functions/admin/subaccounts/create';
import { invokeFunction } from '../../testkit/function-runtime';
import { adminKeyOf, serviceEnv } from '../../testkit/service-env';

export interface AdminFixture {
  sandbox: Sandbox;
  env: Record<string, string>;
  /** A subaccount made through the create function, holding one moved number. */
  subaccountSid: string;
  /** A number still in the main account, free to transfer. */
  mainNumber: { sid: string; phoneNumber: string };
}

/**
 * What the in-process admin suites start from: a sandbox with a main account of two numbers, and one
 * subaccount created through the admin function itself (so every other function has something to act on).
 */
export async function startAdminFixture(): Promise<AdminFixture> {
  const sandbox = await startSandbox();
  const seeded = sandbox.seed({ phoneNumbers: 2 });
  const env = serviceEnv({
    ACCOUNT_SID: seeded.accountSid,
    AUTH_TOKEN: seeded.authToken,
    TWILIO_API_BASE_URL: sandbox.baseUrl,
  });
  const created = await invokeFunction(create, {
    env,
    body: {
      friendlyName: 'Existing',
      idempotencyKey: 'existing-1',
      phoneNumberSid: seeded.phoneNumbers[0]?.sid,
    },
    headers: { authorization: `Bearer ${adminKeyOf(env)}` },
  });
  return {
    sandbox,
    env,
    subaccountSid: created.json<{ subaccount: { sid: string } }>().subaccount.sid,
    mainNumber: seeded.phoneNumbers[1] ?? { sid: '', phoneNumber: '' },
  };
}
