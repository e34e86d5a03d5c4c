import { refusal, sandboxClient, useSandbox } from '../helpers/sandbox';

/**
 * A customer's own Twilio account, made through the sandbox's control as a test or `npm start` user
 * would: under no account of ours, reached only with its own credentials.
 */
describe('accounts outside the main account', () => {
  const sandbox = useSandbox();

  async function control(path: string, body: unknown = {}) {
    const response = await fetch(`${sandbox().baseUrl}/__sandbox/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('answers the new account with its SID and auth token, and one number of its own', async () => {
    sandbox().seed();
    const made = await control('accounts', { friendlyName: 'Harbor Clinic' });
    expect(made.status).toBe(200);
    expect(Object.keys(made.body).sort()).toEqual(['authToken', 'sid']);
    const { sid, authToken } = made.body as { sid: string; authToken: string };
    const own = sandboxClient(sandbox(), sid, authToken);
    const account = await own.api.v2010.accounts(sid).fetch();
    expect([account.friendlyName, account.ownerAccountSid]).toEqual(['Harbor Clinic', sid]);
    expect(await own.api.v2010.accounts(sid).incomingPhoneNumbers.list()).toHaveLength(1);
    const map = await own.sync.v1.services('default').syncMaps.create({ uniqueName: 'theirs' });
    expect(map.accountSid).toBe(sid);
  });

  it("keeps the main account's credentials out of it (401, 20003) and it out of ours", async () => {
    const main = sandbox().seed();
    const { sid, authToken } = (await control('accounts', { friendlyName: 'Harbor Clinic' })).body as {
      sid: string;
      authToken: string;
    };
    const mainClient = sandboxClient(sandbox(), main.accountSid, main.authToken);
    expect(await refusal(mainClient.api.v2010.accounts(sid).fetch())).toEqual({ status: 401, code: 20003 });
    expect(await refusal(mainClient.api.v2010.accounts(sid).applications.list())).toEqual({
      status: 401,
      code: 20003,
    });
    expect((await mainClient.api.v2010.accounts.list()).map((a) => a.sid)).not.toContain(sid);
    const own = sandboxClient(sandbox(), sid, authToken);
    expect(await refusal(own.api.v2010.accounts(main.accountSid).fetch())).toEqual({
      status: 401,
      code: 20003,
    });
  });

  it('rotates its auth token as the Console does: the new one works, the old one stops', async () => {
    sandbox().seed();
    const { sid, authToken } = (await control('accounts', {})).body as { sid: string; authToken: string };
    const rotated = await control(`accounts/${sid}/auth-token`);
    expect(rotated.status).toBe(200);
    const newToken = rotated.body.authToken as string;
    expect(newToken).not.toBe(authToken);
    expect(await refusal(sandboxClient(sandbox(), sid, authToken).api.v2010.accounts(sid).fetch())).toEqual({
      status: 401,
      code: 20003,
    });
    expect((await sandboxClient(sandbox(), sid, newToken).api.v2010.accounts(sid).fetch()).sid).toBe(sid);
    expect((await control('accounts/AC00000000000000000000000000000000/auth-token')).status).toBe(404);
  });
});
