import { sandboxClient, useSandbox } from '../helpers/sandbox';

describe('fault controls', () => {
  const sandbox = useSandbox();

  it('fails exactly the n-th next matching request with the asked status', async () => {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    sandbox().failRequest(2, '503', { match: { operationId: 'FetchAccount' } });
    await client.api.v2010.accounts(main.accountSid).incomingPhoneNumbers.list();
    await client.api.v2010.accounts(main.accountSid).fetch();
    await expect(client.api.v2010.accounts(main.accountSid).fetch()).rejects.toMatchObject({ status: 503 });
    await client.api.v2010.accounts(main.accountSid).fetch();
    expect(
      sandbox()
        .requests({ operationId: 'FetchAccount' })
        .map((r) => r.status),
    ).toEqual([200, 503, 200]);
  });

  it('applies a timeout-after request but loses its answer; a timeout-before one changes nothing', async () => {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    sandbox().failRequest(1, 'timeout-after', { holdMs: 0 });
    await expect(client.api.v2010.accounts.create({ friendlyName: 'lost answer' })).rejects.toThrow();
    expect(sandbox().state.accounts.map((a) => a.friendlyName)).toContain('lost answer');
    sandbox().failRequest(1, 'timeout-before', { holdMs: 0 });
    await expect(client.api.v2010.accounts.create({ friendlyName: 'never applied' })).rejects.toThrow();
    expect(sandbox().state.accounts.map((a) => a.friendlyName)).not.toContain('never applied');
  });

  it('draws rate-based 429s from a seeded generator, so the same seed fails the same requests', async () => {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    // The service's client retries 429s, so the sandbox's own log shows what it answered.
    const run = async () => {
      sandbox().setFaultRates({ rate429: 0.5, seed: 'fixed' });
      const before = sandbox().requests().length;
      for (let i = 0; i < 8; i += 1) await client.api.v2010.accounts(main.accountSid).fetch();
      return sandbox()
        .requests()
        .slice(before)
        .map((request) => request.status);
    };
    const first = await run();
    expect(first).toContain(429);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });
});
