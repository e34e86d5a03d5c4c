import { sandboxClient, useSandbox } from '../../helpers/sandbox';

describe('paging like Twilio', () => {
  const sandbox = useSandbox();

  it('walks v2010 pages with next_page_uri until every item is read', async () => {
    const main = sandbox().seed({ phoneNumbers: 7 });
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const page = await client.api.v2010.accounts(main.accountSid).incomingPhoneNumbers.page({ pageSize: 3 });
    expect(page.instances).toHaveLength(3);
    expect(page.nextPageUrl).toContain('Page=1');
    const all = await client.api.v2010.accounts(main.accountSid).incomingPhoneNumbers.list({ pageSize: 3 });
    expect(all.map((n) => n.phoneNumber).sort()).toEqual(main.phoneNumbers.map((n) => n.phoneNumber).sort());
    expect(sandbox().countRequests({ operationId: 'ListIncomingPhoneNumber' })).toBe(1 + 3);
  });

  it('answers the v2010 page fields Twilio answers', async () => {
    const main = sandbox().seed({ phoneNumbers: 3 });
    const response = await fetch(
      `${sandbox().baseUrl}/2010-04-01/Accounts/${main.accountSid}/IncomingPhoneNumbers.json?PageSize=2&Page=1`,
      {
        headers: {
          'X-Twilio-Host': 'api.twilio.com',
          Authorization: `Basic ${Buffer.from(`${main.accountSid}:${main.authToken}`).toString('base64')}`,
        },
      },
    );
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ page: 1, page_size: 2, start: 2, end: 2, next_page_uri: null });
    expect(body.previous_page_uri).toBe(
      `/2010-04-01/Accounts/${main.accountSid}/IncomingPhoneNumbers.json?PageSize=2&Page=0`,
    );
  });

  it('walks v1 pages with meta.next_page_url', async () => {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const map = await client.sync.v1.services('default').syncMaps.create({ uniqueName: 'm' });
    for (let i = 0; i < 5; i += 1)
      await client.sync.v1
        .services(map.serviceSid)
        .syncMaps(map.sid)
        .syncMapItems.create({ key: `k${i}`, data: { i } });
    const items = await client.sync.v1
      .services(map.serviceSid)
      .syncMaps('m')
      .syncMapItems.list({ pageSize: 2 });
    expect(items.map((item) => item.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    expect(sandbox().countRequests({ operationId: 'ListSyncMapItem' })).toBe(3);
  });
});
