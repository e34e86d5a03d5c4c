import { refusal, sandboxClient, useSandbox } from '../../helpers/sandbox';

describe('credential rules', () => {
  const sandbox = useSandbox();

  async function family() {
    const main = sandbox().seed();
    const mainClient = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const sub = await mainClient.api.v2010.accounts.create({ friendlyName: 'Tenant A' });
    const other = await mainClient.api.v2010.accounts.create({ friendlyName: 'Tenant B' });
    const mainKey = await mainClient.api.v2010
      .accounts(main.accountSid)
      .newKeys.create({ friendlyName: 'main' });
    const subKey = await mainClient.api.v2010.accounts(sub.sid).newKeys.create({ friendlyName: 'sub' });
    return { main, mainClient, sub, other, mainKey, subKey };
  }

  it('refuses a wrong auth token, an unknown account and no credentials with 401 code 20003', async () => {
    const { main } = await family();
    expect(
      await refusal(
        sandboxClient(sandbox(), main.accountSid, 'wrong').api.v2010.accounts(main.accountSid).fetch(),
      ),
    ).toEqual({ status: 401, code: 20003 });
    const response = await fetch(`${sandbox().baseUrl}/2010-04-01/Accounts.json`, {
      headers: { 'X-Twilio-Host': 'api.twilio.com' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });

  it("lets the main account's SID + auth token reach a subaccount's v2010 resources and read its auth token", async () => {
    const { mainClient, sub } = await family();
    const fetched = await mainClient.api.v2010.accounts(sub.sid).fetch();
    expect(fetched.authToken).toBe(sub.authToken);
    await mainClient.api.v2010.accounts(sub.sid).applications.create({ friendlyName: 'voice' });
    expect(await mainClient.api.v2010.accounts(sub.sid).applications.list()).toHaveLength(1);
    expect(
      sandbox().countRequests({ accountSid: sub.ownerAccountSid, credentialKind: 'main' }),
    ).toBeGreaterThan(0);
  });

  it("keeps a subaccount's credentials to its own resources", async () => {
    const { sub, other, main } = await family();
    const subClient = sandboxClient(sandbox(), sub.sid, sub.authToken);
    expect(await subClient.api.v2010.accounts(sub.sid).incomingPhoneNumbers.list()).toEqual([]);
    expect(await refusal(subClient.api.v2010.accounts(other.sid).applications.list())).toEqual({
      status: 401,
      code: 20003,
    });
    expect(await refusal(subClient.api.v2010.accounts(main.accountSid).fetch())).toEqual({
      status: 401,
      code: 20003,
    });
    expect(
      sandbox()
        .requests({ credentialKind: 'sub' })
        .map((r) => r.status),
    ).toEqual([200, 401, 401]);
  });

  it('denies a main-account API key on subaccount resources but accepts it on its own', async () => {
    const { main, sub, mainKey } = await family();
    const keyClient = sandboxClient(sandbox(), mainKey.sid, mainKey.secret, main.accountSid);
    expect(await keyClient.api.v2010.accounts(main.accountSid).incomingPhoneNumbers.list()).toHaveLength(3);
    const onSub = sandboxClient(sandbox(), mainKey.sid, mainKey.secret, sub.sid);
    expect(await refusal(onSub.api.v2010.accounts(sub.sid).incomingPhoneNumbers.list())).toEqual({
      status: 401,
      code: 20003,
    });
  });

  it('lets a standard API key use its own account but not the Accounts and Keys resources', async () => {
    const { sub, subKey } = await family();
    const keyClient = sandboxClient(sandbox(), subKey.sid, subKey.secret, sub.sid);
    expect(await keyClient.api.v2010.accounts(sub.sid).applications.list()).toEqual([]);
    expect(await refusal(keyClient.api.v2010.accounts(sub.sid).fetch())).toEqual({
      status: 401,
      code: 20003,
    });
    expect(await refusal(keyClient.api.v2010.accounts(sub.sid).keys.list())).toEqual({
      status: 401,
      code: 20003,
    });
  });

  it('makes Sync and Messaging act on the account whose credentials are used', async () => {
    const { mainClient, sub } = await family();
    const subClient = sandboxClient(sandbox(), sub.sid, sub.authToken);
    const service = await subClient.messaging.v1.services.create({ friendlyName: 'tenant' });
    expect(service.accountSid).toBe(sub.sid);
    expect(await mainClient.messaging.v1.services.list()).toEqual([]);
    expect(await refusal(mainClient.messaging.v1.services(service.sid).fetch())).toEqual({
      status: 404,
      code: 20404,
    });
    const map = await subClient.sync.v1.services('default').syncMaps.create({ uniqueName: 'registry' });
    expect(map.accountSid).toBe(sub.sid);
    expect(await refusal(mainClient.sync.v1.services(map.serviceSid).syncMaps('registry').fetch())).toEqual({
      status: 404,
      code: 20404,
    });
  });

  it('stops an old auth token once it is rotated', async () => {
    const { sub } = await family();
    const newToken = sandbox().rotateAuthToken(sub.sid);
    expect(
      await refusal(sandboxClient(sandbox(), sub.sid, sub.authToken).api.v2010.accounts(sub.sid).fetch()),
    ).toEqual({ status: 401, code: 20003 });
    expect((await sandboxClient(sandbox(), sub.sid, newToken).api.v2010.accounts(sub.sid).fetch()).sid).toBe(
      sub.sid,
    );
  });

  it("refuses a suspended subaccount's own credentials while the main account still reaches it", async () => {
    const { mainClient, sub } = await family();
    await mainClient.api.v2010.accounts(sub.sid).update({ status: 'suspended' });
    const subClient = sandboxClient(sandbox(), sub.sid, sub.authToken);
    expect(await refusal(subClient.api.v2010.accounts(sub.sid).applications.list())).toEqual({
      status: 401,
      code: 20005,
    });
    expect((await mainClient.api.v2010.accounts(sub.sid).fetch()).status).toBe('suspended');
  });
});
