/**
 * Twilio's limits as the sandbox plays them: each refused with Twilio's status and code, and each
 * reachable by a test without waiting (the sandbox clock moves forward on request).
 */
import twilio from 'twilio';
import { verifyVoiceToken, type SyncObjectUsage } from '../../sandbox';
import { MAX_429_RETRIES } from '../../src/twilio/rest-settings';
import { defined, refusal, sandboxClient, useSandbox } from '../helpers/sandbox';

describe("Twilio's limits in the sandbox", () => {
  const sandbox = useSandbox();

  function mainClient() {
    const main = sandbox().seed();
    return { main, client: sandboxClient(sandbox(), main.accountSid, main.authToken) };
  }

  /** Through the HTTP controls, as a bench or a separately running sandbox would. */
  async function control(method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
    const response = await fetch(`${sandbox().baseUrl}/__sandbox/${path}`, {
      method,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return response.json();
  }

  describe('Sync: 20 reads and 20 writes per second per object, 10 s burst window', () => {
    // The client retries a 429 itself, after a full-jitter delay drawn from Math.random: 0 skips the wait.
    beforeEach(() => jest.spyOn(Math, 'random').mockReturnValue(0));
    afterEach(() => jest.restoreAllMocks());

    it('refuses the 201st write of a Map within 10 s with 429, counting item writes on their Map', async () => {
      const maps = mainClient().client.sync.v1.services('default').syncMaps;
      const map = await maps.create({ uniqueName: 'hot' });
      for (let i = 0; i < 200; i++) await maps('hot').syncMapItems.create({ key: `k${i}`, data: { i } });
      expect(await refusal(maps('hot').syncMapItems.create({ key: 'one-too-many', data: {} }))).toEqual({
        status: 429,
        code: 54009,
      });
      // Reads have their own budget; another Map its own.
      await maps('hot').syncMapItems('k1').fetch();
      await maps.create({ uniqueName: 'cold' });
      await maps('cold').syncMapItems.create({ key: 'a', data: {} });
      // Once the window has passed, writes are accepted again.
      await control('POST', 'clock', { advanceSeconds: 10 });
      await maps('hot').syncMapItems.create({ key: 'later', data: {} });

      const usage = (await control('GET', 'sync-usage')) as SyncObjectUsage[];
      const hot = defined(usage.find((object) => object.objectSid === map.sid));
      expect(hot.write).toMatchObject({
        accepted: 201,
        refused: 1 + MAX_429_RETRIES,
        peakWindowAveragePerSecond: 20,
      });
      expect(hot.write.peakPerSecond).toBeGreaterThan(20);
      expect(hot.read).toMatchObject({ accepted: 1, refused: 0, peakPerSecond: 1 });
    });

    it('counts reads of a Map and of its items together, apart from writes', async () => {
      const maps = mainClient().client.sync.v1.services('default').syncMaps;
      await maps.create({ uniqueName: 'm' });
      await maps('m').syncMapItems.create({ key: 'a', data: {} });
      for (let i = 0; i < 100; i++) await maps('m').syncMapItems('a').fetch();
      for (let i = 0; i < 100; i++) await maps('m').fetch();
      expect(await refusal(maps('m').syncMapItems.list())).toEqual({ status: 429, code: 54009 });
      await maps('m')
        .syncMapItems('a')
        .update({ data: { still: 'writable' } });
    });

    it('can be switched off for one sandbox, still counting', async () => {
      sandbox().setLimits({ syncRateLimits: false });
      const maps = mainClient().client.sync.v1.services('default').syncMaps;
      const map = await maps.create({ uniqueName: 'm' });
      for (let i = 0; i < 210; i++) await maps('m').syncMapItems.create({ key: `k${i}`, data: {} });
      const usage = defined(
        sandbox()
          .syncObjectUsage()
          .find((object) => object.objectSid === map.sid),
      );
      expect(usage.write).toMatchObject({ accepted: 210, refused: 0, peakWindowAveragePerSecond: 21 });
    });
  });

  it('refuses Sync item data over 16 KiB (54006) and keys over 320 characters (54209)', async () => {
    const maps = mainClient().client.sync.v1.services('default').syncMaps;
    await maps.create({ uniqueName: 'm' });
    const room = 16 * 1024 - JSON.stringify({ s: '' }).length;
    await maps('m').syncMapItems.create({ key: 'fits', data: { s: 'x'.repeat(room) } });
    expect(
      await refusal(maps('m').syncMapItems.create({ key: 'too-big', data: { s: 'x'.repeat(room + 1) } })),
    ).toEqual({ status: 413, code: 54006 });
    expect(
      await refusal(
        maps('m')
          .syncMapItems('fits')
          .update({ data: { s: 'é'.repeat(room / 2 + 1) } }),
      ),
    ).toEqual({ status: 413, code: 54006 });
    await maps('m').syncMapItems.create({ key: 'k'.repeat(320), data: {} });
    expect(await refusal(maps('m').syncMapItems.create({ key: 'k'.repeat(321), data: {} }))).toEqual({
      status: 400,
      code: 54209,
    });
    expect(sandbox().state.syncMapItems.map((item) => item.key.length)).toEqual([4, 320]);
  });

  it("refuses a main account's subaccount beyond its limit (21480), 1,000 unless configured", async () => {
    expect(sandbox().limits.subaccountLimit).toBe(1000);
    sandbox().setLimits({ subaccountLimit: 2 });
    const { client } = mainClient();
    await client.api.v2010.accounts.create({ friendlyName: 'one' });
    const two = await client.api.v2010.accounts.create({ friendlyName: 'two' });
    expect(await refusal(client.api.v2010.accounts.create({ friendlyName: 'three' }))).toEqual({
      status: 400,
      code: 21480,
    });
    // A closed subaccount still counts until Twilio deletes it.
    await client.api.v2010.accounts(two.sid).update({ status: 'closed' });
    expect(await refusal(client.api.v2010.accounts.create({ friendlyName: 'three' }))).toEqual({
      status: 400,
      code: 21480,
    });
    await control('POST', 'clock', { advanceDays: 30 });
    await client.api.v2010.accounts.create({ friendlyName: 'three' });
  });

  it('deletes a closed subaccount 30 days after closure: 404, gone from the list, its resources with it', async () => {
    const { client } = mainClient();
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'Leaving' });
    const app = await client.api.v2010.accounts(sub.sid).applications.create({ friendlyName: 'a' });
    await client.api.v2010.accounts(sub.sid).update({ status: 'closed' });
    sandbox().advanceClock(29 * 86_400_000);
    expect((await client.api.v2010.accounts(sub.sid).fetch()).status).toBe('closed');
    sandbox().advanceClock(86_400_000);
    expect(await refusal(client.api.v2010.accounts(sub.sid).fetch())).toEqual({ status: 404, code: 20404 });
    expect(await refusal(client.api.v2010.accounts(sub.sid).applications(app.sid).fetch())).toEqual({
      status: 404,
      code: 20404,
    });
    expect((await client.api.v2010.accounts.list()).map((account) => account.sid)).not.toContain(sub.sid);
    expect(sandbox().state.applications).toEqual([]);
  });

  it('refuses a number in another Messaging Service (21712) and leaves it where it was', async () => {
    const { main, client } = mainClient();
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'Tenant' });
    const number = defined(main.phoneNumbers[0]);
    await client.api.v2010
      .accounts(main.accountSid)
      .incomingPhoneNumbers(number.sid)
      .update({ accountSid: sub.sid });
    const services = sandboxClient(sandbox(), sub.sid, sub.authToken).messaging.v1.services;
    const [first, second] = [
      await services.create({ friendlyName: '1' }),
      await services.create({ friendlyName: '2' }),
    ];
    await services(first.sid).phoneNumbers.create({ phoneNumberSid: number.sid });
    expect(await refusal(services(second.sid).phoneNumbers.create({ phoneNumberSid: number.sid }))).toEqual({
      status: 409,
      code: 21712,
    });
    expect(sandbox().state.messagingPhoneNumbers.map((entry) => entry.serviceSid)).toEqual([first.sid]);
  });

  it('answers usage prices as strings, with the totalprice category summing them', async () => {
    const { main, client } = mainClient();
    sandbox().addUsage({
      accountSid: main.accountSid,
      category: 'calls-inbound',
      startDate: '2026-03-02',
      price: 0.1,
    });
    sandbox().addUsage({
      accountSid: main.accountSid,
      category: 'phonenumbers',
      startDate: '2026-03-03',
      price: 1.15,
    });
    const records = await client.api.v2010.accounts(main.accountSid).usage.records.list({
      startDate: new Date('2026-03-01'),
      endDate: new Date('2026-03-31'),
    });
    expect(records.map((record) => [record.category, record.price]).sort()).toEqual([
      ['calls-inbound', '0.1'],
      ['phonenumbers', '1.15'],
      ['totalprice', '1.25'],
    ]);
  });

  it('refuses a Voice access token that lives longer than 24 hours (20104)', async () => {
    const { main, client } = mainClient();
    const key = await client.api.v2010.accounts(main.accountSid).newKeys.create();
    const app = await client.api.v2010
      .accounts(main.accountSid)
      .applications.create({ voiceUrl: 'https://example.test/voice' });
    const token = (ttl: number) => {
      const accessToken = new twilio.jwt.AccessToken(main.accountSid, key.sid, key.secret, {
        identity: 'alice',
        ttl,
      });
      accessToken.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: app.sid }));
      return accessToken.toJwt();
    };
    const refusedWith = (ttl: number) => {
      try {
        verifyVoiceToken(sandbox().state, token(ttl));
        return 'accepted';
      } catch (error) {
        const { status, code } = error as { status: number; code: number };
        return { status, code };
      }
    };
    expect(refusedWith(86_400 + 1)).toEqual({ status: 401, code: 20104 });
    expect(refusedWith(86_400)).toBe('accepted');
  });
});
