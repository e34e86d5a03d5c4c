import { defined, refusal, sandboxClient, useSandbox } from '../helpers/sandbox';

describe('held to twilio-oai', () => {
  const sandbox = useSandbox({ allowRequestViolations: true });

  it('answers PageSize=5000 with a 400 Twilio error, applies nothing and records the violation', async () => {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const refused = await refusal(
      client.api.v2010.accounts(main.accountSid).incomingPhoneNumbers.page({ pageSize: 5000 }),
    );
    expect(refused).toEqual({ status: 400, code: 20001 });
    expect(sandbox().specViolations()).toEqual([
      expect.objectContaining({
        direction: 'request',
        operationId: 'ListIncomingPhoneNumber',
        errors: ['/query/PageSize: must be <= 1000'],
      }),
    ]);
  });

  it('refuses a body value outside the spec and changes nothing', async () => {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const number = defined(main.phoneNumbers[0]);
    const refused = await refusal(
      client.api.v2010
        .accounts(main.accountSid)
        .incomingPhoneNumbers(number.sid)
        .update({ voiceUrl: 'https://example.test/v', voiceMethod: 'PATCH' }),
    );
    expect(refused.status).toBe(400);
    expect(sandbox().state.incomingPhoneNumbers.find((n) => n.sid === number.sid)?.voiceUrl).toBeNull();
    expect(sandbox().specViolations()).toHaveLength(1);
  });

  it('answers every resource the service uses within the spec', async () => {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const sub = await client.api.v2010.accounts.create({ friendlyName: 't' });
    await client.api.v2010.accounts(sub.sid).fetch();
    const key = await client.api.v2010.accounts(sub.sid).newKeys.create({ friendlyName: 'k' });
    await client.api.v2010.accounts(sub.sid).keys(key.sid).fetch();
    await client.api.v2010.accounts(sub.sid).keys.list();
    const app = await client.api.v2010
      .accounts(sub.sid)
      .applications.create({ voiceUrl: 'https://example.test/voice', friendlyName: 'a' });
    await client.api.v2010.accounts(sub.sid).applications(app.sid).update({ voiceMethod: 'POST' });
    await client.api.v2010
      .accounts(main.accountSid)
      .incomingPhoneNumbers(defined(main.phoneNumbers[0]).sid)
      .update({ accountSid: sub.sid, voiceApplicationSid: app.sid });
    sandbox().createCall({ accountSid: sub.sid, from: '+1', to: '+2' });
    await client.api.v2010.accounts(sub.sid).calls.list({ status: 'in-progress' });
    sandbox().addUsage({ accountSid: sub.sid, category: 'calls', startDate: '2026-01-05', price: 1.25 });
    const usage = await client.api.v2010.accounts(sub.sid).usage.records.list({
      category: 'calls',
      startDate: new Date('2026-01-01'),
      endDate: new Date('2026-01-31'),
    });
    // Twilio answers prices as decimal strings, whatever the library's typings say.
    expect(usage.map((r) => [r.category, r.price])).toEqual([['calls', '1.25']]);
    const subClient = sandboxClient(sandbox(), sub.sid, sub.authToken);
    const messaging = await subClient.messaging.v1.services.create({ friendlyName: 'm' });
    await subClient.messaging.v1
      .services(messaging.sid)
      .phoneNumbers.create({ phoneNumberSid: defined(main.phoneNumbers[0]).sid });
    await subClient.messaging.v1.services(messaging.sid).phoneNumbers.list();
    await subClient.sync.v1.services.list();
    await client.api.v2010.accounts(sub.sid).keys(key.sid).remove();
    await client.api.v2010.accounts(sub.sid).update({ status: 'closed' });
    expect(sandbox().specViolations()).toEqual([]);
  });
});
